# schemathesis hooks for scripts/schemathesis.sh.
#
# PUT /api/v1/admin/policy takes the policy as TOML (`application/toml`), a media type
# schemathesis has no serializer for: without this it reports the operation as an error and
# tests nothing. The body is text; it goes on the wire as generated (a string as it is, any
# other value as its text), and the server refuses what is not a valid policy with 422.
import schemathesis


@schemathesis.serializer("application/toml")
def toml(ctx, value):
    if value is None:
        return None
    if isinstance(value, bytes):
        return value
    return str(value).encode()
