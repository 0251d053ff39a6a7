"""Paged lists through flask-smorest's pagination: `page` and `page_size` in the query, the page's rows as the body,
the totals (total, total_pages, page, first_page, last_page, previous_page, next_page) in the X-Pagination header.

A list endpoint is decorated `@blp.paginate(page_size=…, max_page_size=…)` on a blueprint of this module; its
view receives `pagination_parameters`, asks its query function for that page and sets `item_count` to the total.
"""

from functools import wraps

import flask_smorest

from app.edge import PAGE_MAX
from app.errors import ValidationFailed
from app.messages import msg


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint whose pages stop at PAGE_MAX (an unbounded page overflowed SQLite's OFFSET)."""

    def paginate(self, *, page_size, max_page_size):
        """flask-smorest's pagination in the view (no pager): the view pages its query and sets the total."""
        paginated = super().paginate(page_size=page_size, max_page_size=max_page_size)

        def decorator(func):
            @wraps(func)
            def within_bounds(*args, pagination_parameters, **kwargs):
                if pagination_parameters.page > PAGE_MAX:
                    raise ValidationFailed(msg("validation.request"),
                                           {"query": {"page": [msg("form.maximum", n=PAGE_MAX)]}})
                return func(*args, pagination_parameters=pagination_parameters, **kwargs)
            return paginated(within_bounds)
        return decorator
