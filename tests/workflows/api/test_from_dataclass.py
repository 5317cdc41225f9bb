"""workflows.api.from_dataclass: a response serializer made from a service's dataclass says what the dataclass says."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from rest_framework import serializers

from workflows.api.from_dataclass import dataclass_serializer


@dataclass
class Delivery:
    """A parcel on its way."""

    parcel: str
    weight: float
    pieces: int
    signed: bool
    left: datetime | None
    stops: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    @property
    def heavy(self) -> bool:
        return self.weight > 20


DeliverySerializer = dataclass_serializer(
    "DeliverySerializer",
    Delivery,
    help_texts={"stops": "Oldest first."},
    extra={"heavy": serializers.BooleanField(help_text="Over 20 kg.")},
)


def test_the_answer_has_every_field_of_the_dataclass_then_the_extra_ones():
    left = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    delivery = Delivery("p-1", 21.5, 2, False, left, ["Lyon", "Paris"], {"note": "fragile"})

    data = DeliverySerializer(delivery).data

    assert list(data) == ["parcel", "weight", "pieces", "signed", "left", "stops", "extra", "heavy"]
    assert data["left"] == "2026-01-02T03:04:05Z"
    assert (data["weight"], data["pieces"], data["stops"], data["heavy"]) == (21.5, 2, ["Lyon", "Paris"], True)
    assert DeliverySerializer(Delivery("p-2", 1.0, 1, True, None)).data["left"] is None


def test_fields_carry_null_help_and_the_dataclass_docstring():
    fields = DeliverySerializer().fields

    assert fields["left"].allow_null and not fields["parcel"].allow_null
    assert fields["stops"].help_text == "Oldest first."
    assert isinstance(fields["stops"].child, serializers.CharField)
    assert DeliverySerializer.__name__ == "DeliverySerializer"
    assert DeliverySerializer.__doc__ == "A parcel on its way."


def test_an_annotation_without_a_serializer_field_is_refused_when_the_module_loads():
    @dataclass
    class Odd:
        pair: tuple[int, int]

    with pytest.raises(TypeError, match="no serializer field for"):
        dataclass_serializer("OddSerializer", Odd)
