"""GCP resource references, normalised to one id form: the full resource name.

GCP spells a reference to the same resource in several ways, and the Cloud
Asset API and the resources it embeds use all of them:

- full resource names, `//compute.googleapis.com/projects/p/zones/z/instances/i`
  (the asset `name`, and CloudViz's id);
- self-links, `https://www.googleapis.com/compute/v1/projects/p/zones/z/...`;
- partial paths, `projects/p/global/networks/n`;
- paths relative to a project, `global/networks/n` or `zones/z/instances/i`.

`full_resource_name` turns any of them into the first form, so a subnet named
by an instance's self-link and the subnet asset itself get the same id.
"""

from __future__ import annotations

import re

# Self-links name the API and its version before the resource path; the asset
# name uses the service host instead. A few APIs are served under a host that
# differs from the one their full resource names use.
_SELF_LINK = re.compile(
    r"^https?://(?P<host>[a-z0-9.-]+)/(?:(?P<api>[a-z]+)/)?"
    r"(?P<version>v\d[a-z0-9]*|beta|alpha)/(?P<path>.+)$"
)
_SELF_LINK_SERVICES = {
    "compute": "compute.googleapis.com",
    "storage": "storage.googleapis.com",
    "sql": "cloudsql.googleapis.com",
    "sqladmin": "cloudsql.googleapis.com",
    "dns": "dns.googleapis.com",
}
_HOST_SERVICES = {
    "sqladmin.googleapis.com": "cloudsql.googleapis.com",
}
_COMPUTE_ROOTS = ("global/", "zones/", "regions/")
_ZONE = re.compile(r"^[a-z]+-[a-z]+\d+-[a-z]$")
_PROJECT_SEGMENT = re.compile(r"(?:^|/)projects/([^/]+)")
_LOCATION_SEGMENT = re.compile(r"/(zones|regions|locations)/([^/]+)")


def full_resource_name(
    reference: str | None,
    *,
    service: str = "compute.googleapis.com",
    project: str | None = None,
) -> str | None:
    """The full resource name a reference points to, or None if it is empty.

    `service` is the API a partial path belongs to (compute when the reference
    came from a compute resource); `project` completes paths that are relative
    to the referring resource's project.
    """
    if not reference:
        return None
    reference = reference.strip()
    if reference.startswith("//"):
        host, _, path = reference[2:].partition("/")
        return _join(host, path)

    link = _SELF_LINK.match(reference)
    if link:
        return _from_self_link(link)

    path = reference.strip("/")
    if path.startswith(_COMPUTE_ROOTS):
        if not project:
            return None
        path = f"projects/{project}/{path}"
        service = "compute.googleapis.com"
    return _join(service, path)


def _from_self_link(link: re.Match[str]) -> str:
    host, api, path = link["host"], link["api"], link["path"].rstrip("/")
    if api and api in _SELF_LINK_SERVICES:
        service = _SELF_LINK_SERVICES[api]
    else:
        service = _HOST_SERVICES.get(host, host.replace("www.", "", 1))
    if service == "storage.googleapis.com" and path.startswith("b/"):
        path = path[2:]
    return _join(service, path)


def _join(service: str, path: str) -> str:
    path = path.strip("/")
    if service == "container.googleapis.com":
        # Kubernetes Engine still accepts `zones/` beside `locations/` for
        # zonal clusters; one spelling keeps a cluster and its pools together.
        path = path.replace("/zones/", "/locations/")
    return f"//{service}/{path}"


def last_segment(reference: str) -> str:
    """The short name at the end of a path, link or full name."""
    return reference.rstrip("/").rsplit("/", 1)[-1]


def service_of(name: str) -> str:
    """`compute.googleapis.com` for `//compute.googleapis.com/projects/...`."""
    return name[2:].split("/", 1)[0] if name.startswith("//") else ""


def project_in(name: str) -> str | None:
    """The project segment of a name or path (an id or a number), if any."""
    match = _PROJECT_SEGMENT.search(name)
    return match.group(1) if match else None


def split_location(location: str | None) -> tuple[str | None, str | None]:
    """(region, zone) of a GCP location: `us-central1-a` is a zone."""
    if not location:
        return None, None
    location = location.lower()
    if _ZONE.match(location):
        return location.rsplit("-", 1)[0], location
    return location, None


def location_in(name: str) -> str | None:
    """The zone, region or location named inside a resource path, if any."""
    found = _LOCATION_SEGMENT.findall(name)
    return found[-1][1] if found else ("global" if "/global/" in name else None)
