"""WTForms for the few server-side forms (login); task forms are form-js."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from app.messages import msg


class LoginForm(FlaskForm):
    username = StringField(msg("web.login.username"),
                           validators=[DataRequired(msg("web.login.username_missing")), Length(max=64)])
    password = PasswordField(msg("web.login.password"),
                             validators=[DataRequired(msg("web.login.password_missing")), Length(max=128)])
