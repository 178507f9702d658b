import pytest

from cloudviz.errors import ValidationError
from cloudviz.inventory.filters import ResourceFilter
from cloudviz.jobs.tasks import extract_request_from_params, extraction_params
from cloudviz.sources.live import ExtractRequest


def test_params_round_trip_through_extract_request():
    request = ExtractRequest(
        provider="aws",
        regions=("eu-west-1",),
        profiles=("prod",),
        name="nightly",
        filter=ResourceFilter(
            regions=("eu-west-1",), kinds=("compute.*",), tags=(("env", "prod"),)
        ),
    )
    assert extract_request_from_params(extraction_params(request)) == request


def test_regions_scope_and_filter_like_the_cli():
    request = extract_request_from_params(
        {"provider": "azure", "filters": {"regions": ["westeurope"]}}
    )
    assert request.regions == ("westeurope",)
    assert request.filter.regions == ("westeurope",)


@pytest.mark.parametrize(
    ("params", "problem"),
    [
        ({"provider": "oracle"}, "provider"),
        ({"provider": "aws", "regions": "eu-west-1,us-east-1", "scope": 3}, "scope"),
        ({"provider": "aws", "filters": {"colour": ["red"]}}, "colour"),
        ({"provider": "aws", "filters": {"tags": ["=x"]}}, "KEY=VALUE"),
        ({"provider": "gcp", "filters": {"max_resources": 0}}, "max_resources"),
    ],
)
def test_bad_params_name_the_field(params, problem):
    with pytest.raises(ValidationError, match=problem):
        extract_request_from_params(params)
