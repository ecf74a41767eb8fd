"""A plan document (`plan --format json`) with lookups by resource type and logical name."""

import json


class PlanView:
    def __init__(self, document: dict):
        self.document = document
        self.resources = document["resources"]
        self.by_urn = {r["urn"]: r for r in self.resources}

    def all(self, type_: str) -> list[dict]:
        return [r for r in self.resources if r["type"] == type_]

    def names(self, type_: str) -> set[str]:
        return {r["name"] for r in self.all(type_)}

    def one(self, type_: str, name: str) -> dict:
        found = [r for r in self.all(type_) if r["name"] == name]
        assert len(found) == 1, f"{type_} {name}: have {sorted(self.names(type_))}"
        return found[0]

    def inputs(self, type_: str, name: str) -> dict:
        return self.one(type_, name)["inputs"]

    def policy(self, type_: str, name: str, field: str = "policy") -> dict:
        return json.loads(self.inputs(type_, name)[field])

    def depends_on(self, type_: str, name: str) -> set[tuple[str, str]]:
        """(type, name) of every resource this one depends on."""
        return {(self.by_urn[u]["type"], self.by_urn[u]["name"]) for u in self.one(type_, name)["dependsOn"]}

    @property
    def outputs(self) -> dict:
        return self.document["outputs"]

    @property
    def services(self) -> dict:
        return self.outputs["services"]
