"""The clouds deployer deploys to, one package each (`aws`, `gcp`), each exposing `CLOUD`, its
`deployer.clouds.Cloud`. Installed as `deployer.providers`; the core reaches them only through
`deployer.clouds`."""
