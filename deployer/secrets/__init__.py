"""Secret values per environment type and environment, kept in a store (file, aws, gcp), never shown.

For the rest of deployer: `missing_secrets(env)` (what a deploy would lack, nothing decrypted) and
`resolve_secret_values(env)` (the values ENV's services use; raises `MissingSecrets`, exit 4).
"""

from deployer.secrets.resolution import MissingSecrets, missing_secrets, resolve_secret_values

__all__ = ["MissingSecrets", "missing_secrets", "resolve_secret_values"]
