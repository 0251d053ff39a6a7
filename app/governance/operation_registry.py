"""The list of Tianchang's host operations, filled by the modules that define them (host_operations and others)."""

OPERATIONS = []  # (name, params, function): handed to the platform's registry by host_operations.register_operations


def register(name, **params):
    """Note a host operation of Tianchang's procedures; it is registered only when the factory asks."""
    def decorator(fn):
        OPERATIONS.append((name, params, fn))
        return fn
    return decorator
