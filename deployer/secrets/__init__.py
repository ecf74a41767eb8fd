"""Secret values per environment type and environment, kept in a store (file, or a cloud's secret
manager), never shown.

For the rest of deployer, `resolution`: `missing_secrets(env)` (what a deploy would lack, nothing
decrypted) and `resolve_secret_values(env)` (the values ENV's services use; raises `MissingSecrets`,
exit 4).
"""
