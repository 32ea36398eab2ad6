"""The region's own services shown to a person (R-210, R-211): those of their home region, and
when a guardian acts for a child, only those that take a child."""

from __future__ import annotations

from app.access.citizens import Subject
from app.context import Context
from auth.policy import service_takes
from schema.regional_services.types import RegionalService


def services_of_subject(context: Context, subject: Subject) -> list[RegionalService]:
    code = subject.citizen.home_region_code
    region = context.regions.regions.get(code)
    services = () if region is None else region.services
    return [
        RegionalService.build(code, service, context.ids)
        for service in services
        if service_takes(subject.relation, service.acts_for_children)
    ]
