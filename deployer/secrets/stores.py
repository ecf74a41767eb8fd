"""The store a spec chooses (`secretStore`): `file` beside the spec, or the secret manager of the
cloud of that name (its `Cloud.secret_store`). Each store's client loads only when it is opened."""

from pathlib import Path

from deployer.clouds import cloud
from deployer.errors import UsageError, quoted
from deployer.secrets.store import Notify, SecretStore
from deployer.speclang.model import FILE_STORE, Infra


def open_store(spec_file: Path, settings: Infra, notify: Notify = lambda _: None) -> SecretStore:
    """The store SETTINGS choose for the spec in SPEC_FILE."""
    if settings.secret_store == FILE_STORE:
        from deployer.secrets.file_store import FileStore

        return FileStore(spec_file.parent / FileStore.FILE_NAME, notify)
    store = cloud(settings.secret_store).secret_store(settings)
    if store is None:
        raise UsageError(f"provider {quoted(settings.secret_store)} keeps no secrets: use secretStore: file")
    return store


def store_place(settings: Infra) -> tuple[str, ...]:
    """Where the store SETTINGS choose keeps its values: its kind and the settings it needs (a region,
    a project). Environments with one place share their values; nothing is opened to tell."""
    if settings.secret_store == FILE_STORE:
        return (FILE_STORE,)
    chosen = cloud(settings.secret_store)
    cloud_settings = getattr(settings, chosen.name, None)
    return (chosen.name, *(str(getattr(cloud_settings, field, "")) for field in chosen.store_settings))
