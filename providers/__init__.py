"""The clouds deployer deploys to, one package each (`aws`, `gcp`), whose `cloud` module exposes
`CLOUD`, its `deployer.clouds.Cloud`. Installed as `deployer.providers`; the core reaches them only
through the registry in `deployer.clouds`."""
