"""The region's own e-services (R-210, R-211) and the hand-off to one (R-214)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import Private

from app.context import Info
from app.domain.ids import IdCodec, NodeKind
from app.domain.regional_services import RegionalService as ServiceConfig
from app.domain.regional_services import service_number
from schema.clinics.types import Region
from schema.errors import UserError
from schema.node import Node


@strawberry.type(
    description="One of the region's own e-services, reached without logging in again (R-210)."
)
class RegionalService(Node):
    name: str = strawberry.field(description="The service's name.")
    description: str = strawberry.field(description="What it is for.")
    recommended: bool = strawberry.field(description="Whether the region recommends it (R-211).")
    acts_for_children: bool = strawberry.field(
        description="Whether a guardian may open it for a child."
    )
    region_code: Private[str]

    @classmethod
    def build(cls, region_code: str, config: ServiceConfig, ids: IdCodec) -> RegionalService:
        number = service_number(region_code, config.key)
        return cls(
            id=strawberry.ID(ids.encode(NodeKind.REGIONAL_SERVICE, number)),
            name=config.name,
            description=config.description,
            recommended=config.recommended,
            acts_for_children=config.acts_for_children,
            region_code=region_code,
        )

    @strawberry.field(description="The region whose service it is.")
    async def region(self, info: Info) -> Region:
        (row,) = await info.context.loaders.regions([self.region_code])
        assert row is not None  # every configured region is in the catalogue
        return Region.from_row(row, info.context.regions)


@strawberry.type(
    description="Where to send the browser: the service's address with a single-use code that "
    "it redeems once, server to server (R-214). Never a personnummer or a token."
)
class HandOff:
    url: str = strawberry.field(description="Open this in the browser, before expiresAt.")
    expires_at: datetime = strawberry.field(description="The code is good until then.")


@strawberry.input(description="Open one of the region's services, for yourself or a child.")
class OpenRegionalServiceInput:
    citizen_id: strawberry.ID = strawberry.field(description="For whom.")
    service_id: strawberry.ID = strawberry.field(description="One of `regionalServices`.")


@strawberry.type(description="The hand-off, or why not.")
class OpenRegionalServicePayload:
    hand_off: HandOff | None = strawberry.field(description="Where to go, when it succeeded.")
    user_errors: list[UserError] = strawberry.field(description="Why not.")
