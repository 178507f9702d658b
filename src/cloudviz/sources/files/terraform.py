"""Terraform state and plan files, imported as an inventory.

Reads `terraform show -json` of a state or a plan and raw `terraform.tfstate`
files (version 4), for the aws, azurerm and google providers, with resources
in nested modules and with `count`/`for_each` indexes. The file streams
(`terraform_stream`), each resource instance becomes a CloudViz resource
(`terraform_kinds`, `terraform_attributes`), and references between them are
resolved once all are known (`terraform_rules`, `terraform_refs`).

Not imported, and counted in `source.detail.skipped`: data sources (Terraform
reads them, it does not manage them), `outputs` (they often carry secrets),
utility providers (`random`, `null`, `tls`, ...), settings-only types (S3
bucket settings, security group rules, IAM bindings) and link types
(attachments, associations, peerings), which become relationships instead.
Values Terraform marks sensitive are dropped before anything reads them, and
properties are an allow-list per kind, so no secret reaches the inventory.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from typing import Any

from cloudviz.errors import ValidationError
from cloudviz.inventory.builder import InventoryBuilder
from cloudviz.inventory.kinds import KNOWN_PROVIDERS
from cloudviz.inventory.model import Inventory, Resource
from cloudviz.sources.files.source import ImportSource
from cloudviz.sources.files.terraform_attributes import (
    display_name,
    resource_id,
    resource_place,
    resource_properties,
    resource_tags,
    text,
)
from cloudviz.sources.files.terraform_kinds import (
    UTILITY_PROVIDERS,
    is_settings_type,
    kind_of,
    provider_of,
)
from cloudviz.sources.files.terraform_plan import (
    PlannedInstance,
    add_plan_references,
    config_resource,
)
from cloudviz.sources.files.terraform_refs import (
    ReferenceIndex,
    apply_references,
    lookup_key,
)
from cloudviz.sources.files.terraform_rules import is_link_type
from cloudviz.sources.files.terraform_stream import (
    TerraformHeader,
    TerraformInstance,
    stream_instances,
)

log = logging.getLogger(__name__)

NAME = "terraform"
DESCRIPTION = "Terraform state or plan (`terraform show -json`, terraform.tfstate v4)"

STATE_VERSION = 4
_INVENTORY_START = re.compile(r'^\s*\{\s*"schema_version"')
_TERRAFORM_VERSION = re.compile(r'"terraform_version"\s*:')
_FORMAT_VERSION = re.compile(r'"format_version"\s*:')
_SHOW_KEYS = re.compile(r'"(?:root_module|planned_values|resource_changes)"\s*:')
_RAW_KEYS = (re.compile(r'"lineage"\s*:'), re.compile(r'"serial"\s*:'))


def sniff(head: str) -> bool:
    """True for a Terraform state, plan or raw state file.

    Two markers are required, so another export whose resources happen to
    carry a `terraform_version` or `lineage` tag is not taken for a state.
    """
    if _INVENTORY_START.match(head):
        return False
    if _FORMAT_VERSION.search(head):
        return bool(_TERRAFORM_VERSION.search(head) or _SHOW_KEYS.search(head))
    lineage, serial = (pattern.search(head) for pattern in _RAW_KEYS)
    return bool(lineage and (serial or _TERRAFORM_VERSION.search(head)))


def load(source: ImportSource) -> Inventory:
    """Stream the file once and build its inventory."""
    header = TerraformHeader()
    importer = _TerraformImport(source.path.stem, header)
    with source.open() as handle:
        instances = stream_instances(handle, header, source.label, source.head())
        for instance in instances:
            importer.take(instance)
    _check_header(header, source)
    return importer.finish()


def _check_header(header: TerraformHeader, source: ImportSource) -> None:
    if not header.top_level_keys:
        raise source.invalid("not a Terraform state or plan (no top-level object)")
    if header.shape == "raw-state":
        version = header.version
        if version is None:
            raise source.invalid(
                "not a Terraform state: no `version` or `format_version`"
            )
        if version != STATE_VERSION or isinstance(version, bool):
            raise ValidationError(
                f"{source.label}: state version {version!r} is not supported; this "
                f"build reads version {STATE_VERSION} (Terraform 0.12 and later)",
                hint="run `terraform show -json > state.json` with a current "
                "Terraform and import that file",
            )
        return
    fmt = header.format_version
    if not isinstance(fmt, str) or not fmt.startswith("1."):
        raise ValidationError(
            f"{source.label}: format_version {fmt!r} is not supported; this build "
            "reads 1.x",
            hint="upgrade CloudViz, or import the raw terraform.tfstate instead",
        )


class _TerraformImport:
    """Turns streamed instances into resources; keeps only small indexes."""

    def __init__(self, name: str, header: TerraformHeader) -> None:
        self.header = header
        self.builder = InventoryBuilder(name, "terraform", id_key=lookup_key)
        self.index = ReferenceIndex()
        self.skipped: Counter[str] = Counter()
        # Plans only: every instance, for references from the configuration.
        self.planned: list[PlannedInstance] = []

    def take(self, instance: TerraformInstance) -> None:
        if instance.mode != "managed":
            self.skipped["data_sources"] += 1
            return
        provider = provider_of(instance.provider, instance.type)
        if provider in UTILITY_PROVIDERS:
            self.skipped["utility_resources"] += 1
        elif is_settings_type(instance.type):
            self.skipped["settings_resources"] += 1
        elif is_link_type(instance.type):
            self.skipped["link_resources"] += 1
            scope = _link_scope(instance)
            self.index.add_link(instance.type, instance.values, scope)
            self._plan(instance, scope, None)
        else:
            resource = self._add(instance, provider)
            self._plan(instance, _scope(resource), resource.id)

    def _plan(
        self, instance: TerraformInstance, scope: str, resource_id: str | None
    ) -> None:
        if self.header.shape == "plan":
            self.planned.append(
                PlannedInstance(instance.address, instance.type, scope, resource_id)
            )

    def _add(self, instance: TerraformInstance, provider: str) -> Resource:
        values = instance.values
        rid = resource_id(instance, provider)
        kind = kind_of(instance.type)
        tags = resource_tags(values, provider)
        place = resource_place(instance, provider, rid)
        properties = resource_properties(values, kind)
        properties["terraform_address"] = instance.address
        resource = self.builder.add(
            Resource(
                id=rid,
                provider=provider if provider in KNOWN_PROVIDERS else "other",
                type=instance.type,
                kind=kind,
                name=display_name(instance, tags),
                account=place.account,
                region=place.region,
                zone=place.zone,
                group=place.group,
                tags=tags,
                properties=properties,
            )
        )
        self.index.add_resource(resource, instance.type, values, _scope(resource))
        return resource

    def finish(self) -> Inventory:
        """Resolve references and build, once every instance has been taken."""
        header = self.header
        if self.planned and header.configuration:
            blocks = [config_resource(*entry) for entry in header.configuration]
            configuration = [block for block in blocks if block is not None]
            add_plan_references(configuration, self.planned, self.index)
        apply_references(self.index, self.builder)
        _inherit_place(self.builder)
        if header.planned_actions:
            for resource in self.builder.resources():
                address = resource.properties.get("terraform_address")
                action = header.planned_actions.get(str(address))
                if action:
                    resource.properties["planned_action"] = action
        detail: dict[str, Any] = {"shape": header.shape}
        if header.terraform_version:
            detail["terraform_version"] = header.terraform_version
        if self.skipped:
            detail["skipped"] = dict(sorted(self.skipped.items()))
        if self.index.unresolved:
            detail["references_outside_file"] = self.index.unresolved
        self.builder.source_detail.update(detail)
        log.debug(
            "terraform.import shape=%s resources=%s skipped=%s",
            header.shape,
            len(self.builder),
            dict(self.skipped),
        )
        return self.builder.build()


def _inherit_place(builder: InventoryBuilder) -> None:
    """Children without a region or account (Azure subnets) take their parent's."""
    for resource in builder.resources():
        parent = builder.get(resource.parent) if resource.parent else None
        depth = 0
        while parent is not None and depth < 8:
            resource.region = resource.region or parent.region
            resource.account = resource.account or parent.account
            if resource.region and resource.account:
                break
            parent = builder.get(parent.parent) if parent.parent else None
            depth += 1


def _scope(resource: Resource) -> str:
    """Where a name is unique: the resource group (Azure), the project (GCP)."""
    if resource.provider == "azure":
        return (resource.group or "").casefold()
    if resource.provider == "gcp":
        return (resource.account or "").casefold()
    return ""


def _link_scope(instance: TerraformInstance) -> str:
    if instance.type.startswith("azurerm_"):
        return (text(instance.values, "resource_group_name") or "").casefold()
    if instance.type.startswith("google_"):
        return (text(instance.values, "project") or "").casefold()
    return ""
