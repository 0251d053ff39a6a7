"""The operations console: instances, migrations, users and organisations, imports and tokens."""
