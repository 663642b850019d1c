"""pbxapi: the management API of a hosted telephone system."""
