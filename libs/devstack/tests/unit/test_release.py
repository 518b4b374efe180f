"""What `make release` publishes: every contract with its imports and comments, and the
reference pages, under the version's name."""

from pathlib import Path

from google.protobuf import descriptor_pb2 as d

from devstack.release import contracts_version, release


def test_a_release_holds_every_contract_with_its_comments_and_the_reference(
    tmp_path: Path,
) -> None:
    written = release("9.9.9", tmp_path)

    descriptor_set = tmp_path / "oms-contracts-9.9.9.binpb"
    assert written == [descriptor_set, tmp_path / "oms-contracts-9.9.9-reference"]
    published = d.FileDescriptorSet.FromString(descriptor_set.read_bytes())
    names = {f.name for f in published.file}
    assert {"oms/orders/v1/orders.proto", "oms/events/v1/orders.proto"} <= names
    assert "google/protobuf/timestamp.proto" in names  # decodable with nothing else at hand
    orders = next(f for f in published.file if f.name == "oms/orders/v1/orders.proto")
    assert any(
        "Places an order" in loc.leading_comments for loc in orders.source_code_info.location
    )
    assert (tmp_path / "oms-contracts-9.9.9-reference" / "events.md").exists()


def test_the_version_defaults_to_the_contracts_package() -> None:
    assert contracts_version().count(".") == 2
