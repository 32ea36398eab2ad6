"""All tables, imported together so that SQLModel.metadata knows every one."""

from app.data.models.audit import AuditEvent
from app.data.models.bookings import Booking, BookingType, Slot
from app.data.models.certificates import Certificate, CertificateDelivery
from app.data.models.citizens import Citizen, Guardianship
from app.data.models.complaints import Complaint
from app.data.models.earlier_times import EarlierTimeOffer, EarlierTimeWatch
from app.data.models.errands import Errand, ErrandMessage, ErrandType
from app.data.models.forms import Form, FormAnswer, FormQuestion, FormRequest
from app.data.models.handoff import HandOffCode
from app.data.models.idempotency import IdempotencyRecord
from app.data.models.inbox import InboxMessage, NotificationDelivery, NotificationSetting
from app.data.models.listing import ClinicListingTerms
from app.data.models.programs import (
    Program,
    ProgramEnrolment,
    ProgramMessage,
    ProgramModule,
    ProgramModuleAccess,
    ProgramOffer,
    ProgramQuestion,
    ProgramStep,
    ProgramStepDone,
    ProgramVersion,
)
from app.data.models.rate_limits import RateBucket
from app.data.models.refs import SourceRef
from app.data.models.region_journal import (
    RegionJournalAccess,
    RegionJournalEntry,
    RegionJournalNoteVersion,
)
from app.data.models.region_listing import RegionListing
from app.data.models.region_medications import RegionMedication
from app.data.models.regions import Clinic, Region
from app.data.models.renewals import RenewalLine
from app.data.models.samples import SampleOffer, SampleOfferSite, SampleOrder, SampleResult
from app.data.models.staff import Commission, Staff
from app.data.models.usage import UsageHour, UsageKey, UsageMonth, UsageVisitor

__all__ = [
    "AuditEvent",
    "Booking",
    "BookingType",
    "Certificate",
    "CertificateDelivery",
    "Citizen",
    "Clinic",
    "ClinicListingTerms",
    "Commission",
    "Complaint",
    "EarlierTimeOffer",
    "EarlierTimeWatch",
    "Errand",
    "ErrandMessage",
    "ErrandType",
    "Form",
    "FormAnswer",
    "FormQuestion",
    "FormRequest",
    "Guardianship",
    "HandOffCode",
    "IdempotencyRecord",
    "InboxMessage",
    "NotificationDelivery",
    "NotificationSetting",
    "Program",
    "ProgramEnrolment",
    "ProgramMessage",
    "ProgramModule",
    "ProgramModuleAccess",
    "ProgramOffer",
    "ProgramQuestion",
    "ProgramStep",
    "ProgramStepDone",
    "ProgramVersion",
    "RateBucket",
    "Region",
    "RegionJournalAccess",
    "RegionJournalEntry",
    "RegionJournalNoteVersion",
    "RegionListing",
    "RegionMedication",
    "RenewalLine",
    "SampleOffer",
    "SampleOfferSite",
    "SampleOrder",
    "SampleResult",
    "Slot",
    "SourceRef",
    "Staff",
    "UsageHour",
    "UsageKey",
    "UsageMonth",
    "UsageVisitor",
]
