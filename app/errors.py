"""Domain errors: raised below the edge, mapped to HTTP status or exit codes in one place per edge."""


class DomainError(Exception):
    """Base of every error a user may see; `message` is Chinese, `errors` gives details."""

    code = "error"
    status = 400

    def __init__(self, message, errors=None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class NotFound(DomainError):
    code, status = "not_found", 404


class Forbidden(DomainError):
    code, status = "forbidden", 403


class Unauthenticated(DomainError):
    code, status = "unauthenticated", 401


class Conflict(DomainError):
    """The thing changed under the caller (completed by someone else, concurrent edit)."""

    code, status = "conflict", 409


class InvalidState(DomainError):
    code, status = "invalid_state", 409


class ValidationFailed(DomainError):
    """Submitted data is wrong; `errors` maps a field to its Chinese messages."""

    code, status = "validation_failed", 422


class DefinitionInvalid(DomainError):
    """A bundle of diagrams and forms was rejected; `errors` lists every problem."""

    code, status = "definition_invalid", 400

    def __init__(self, message, problems):
        super().__init__(message, {"problems": [p.as_dict() for p in problems]})
        self.problems = problems
