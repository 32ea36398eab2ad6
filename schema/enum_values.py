"""What every enum value means, for the schema's readers (GraphiQL's docs, codegen comments).

Several enums live outside the schema (app/domain/errors.py, app/access/audit.py,
auth/staff_policy.py, app/domain/regions_config.py), where Strawberry must not be imported: their
values are described here and set on the built schema (app/root_schema.py). tests/test_schema.py
fails on a value without a description, so a new one cannot be added silently.
"""

from __future__ import annotations

from graphql import GraphQLEnumType, GraphQLSchema

DESCRIPTIONS: dict[str, dict[str, str]] = {
    "AccessAction": {
        "READ_PROFILE": "The person's details were read (the start page, or a child's).",
        "READ_BOOKINGS": "The list of booked times was read.",
        "BOOK": "A time was booked.",
        "REBOOK": "A booking was moved to another time.",
        "CANCEL_BOOKING": "A booking was cancelled.",
        "READ_ERRANDS": "The list of errands was read.",
        "READ_ERRAND": "One errand, with its messages, was read.",
        "CREATE_ERRAND": "An errand was sent to a clinic.",
        "REPLY_TO_ERRAND": "A message was added to an errand.",
        "READ_FORM_REQUESTS": "The list of forms sent to the person was read.",
        "READ_FORM_REQUEST": "One form request, with its answers, was read.",
        "SAVE_FORM_DRAFT": "Draft answers to a form were saved.",
        "SUBMIT_FORM": "A form was answered and submitted.",
        "READ_CERTIFICATES": "The list of certificates was read.",
        "READ_CERTIFICATE": "One certificate was read.",
        "DOWNLOAD_CERTIFICATE": "A certificate was downloaded as PDF.",
        "SEND_CERTIFICATE": "A certificate was sent to its recipient.",
        "READ_ACCESS_LOG": "This log of accesses was read.",
        "READ_JOURNAL": "The journal was read.",
        "READ_PRESCRIPTIONS": "The list of medications was read, at a clinic's renewal.",
        "REQUEST_PRESCRIPTION_RENEWAL": "Medications were sent to a clinic to be renewed.",
        "READ_LISTING": "Where the person is listed was read.",
        "CHANGE_LISTING": "A change of listing was asked for.",
        "DECIDE_LISTING": "The region's listing office registered or refused a listing.",
        "RECORD_ACCESS_IN_REGION": "The region's own record system logged an access to the "
        "records by the unit's staff (R-136).",
        "SET_ERRAND_STATUS": "Care staff changed an errand's status.",
        "SEND_FORM_REQUEST": "Care staff sent the person a form.",
        "READ_INBOX": "The inbox was read.",
        "READ_INBOX_MESSAGE": "A message of the inbox was read.",
        "MARK_INBOX_READ": "Messages of the inbox were marked read.",
        "ARCHIVE_INBOX_MESSAGE": "A message of the inbox was archived or taken back.",
        "REPLY_TO_INBOX_MESSAGE": "A message of the inbox was answered.",
        "SEND_INBOX_MESSAGE": "Care staff sent the person a message.",
        "READ_SENT_MESSAGES": "Care staff read the list of messages their clinic sent.",
        "READ_NOTIFICATION_SETTINGS": "Where the person is notified of messages was read.",
        "UPDATE_NOTIFICATION_SETTINGS": "Where the person is notified of messages was changed.",
        "READ_SAMPLES": "The sample offers and orders were read.",
        "ASSIGN_SAMPLE_OFFER": "Care staff offered the person a sample to order (R-180).",
        "ORDER_SAMPLE": "A sample was ordered within an offer.",
        "CANCEL_SAMPLE_ORDER": "A sample order was cancelled.",
        "READ_SAMPLE_ORDERS": "A sampling unit looked up the person's sample orders.",
        "FETCH_SAMPLE_ORDER": "A sampling unit took the sample of an order (R-186).",
        "RECORD_SAMPLE_RESULT": "The lab recorded a sample's result (R-182).",
        "SUBMIT_COMPLAINT": "A complaint was sent to a care provider or the patient board.",
        "READ_COMPLAINTS": "The list of complaints sent was read.",
        "READ_RECEIVED_COMPLAINTS": "Care staff read the complaints their unit received.",
        "ANSWER_COMPLAINT": "Care staff answered a complaint (R-200).",
        "SET_COMPLAINT_STATUS": "Care staff took up or closed a complaint.",
    },
    "AuthorKind": {
        "CITIZEN": "The person the errand is about.",
        "GUARDIAN": "A guardian, for a child under 13.",
        "STAFF": "Care staff of the clinic.",
    },
    "BookingStatus": {
        "BOOKED": "The appointment stands.",
        "CANCELLED": "The appointment was cancelled.",
    },
    "BookingWhen": {
        "UPCOMING": "Bookings from now on, soonest first (R-82).",
        "PAST": "Bookings that have been, latest first.",
    },
    "CertificateKind": {
        "SICK_LEAVE": "Läkarintyg för sjukpenning: for Försäkringskassan.",
        "DRIVING_LICENCE": "A medical certificate for a driving licence: for Transportstyrelsen.",
        "MEDICAL_STATEMENT": "Any other medical statement.",
    },
    "CertificateRecipient": {
        "FKASSA": "Försäkringskassan, the Social Insurance Agency.",
        "TRANSPORTSTYRELSEN": "Transportstyrelsen, the Transport Agency (driving licences).",
    },
    "ErrandCategory": {
        "ADVICE": "A question to the clinic, or asking for advice.",
        "PRESCRIPTION_RENEWAL": "Renewing a prescription.",
        "JOURNAL_COPY": "Ordering a copy of the journal.",
        "BOOKING_REQUEST": "Asking the clinic for a time.",
        "OTHER": "Anything else.",
    },
    "InboxMessageKind": {
        "INFORMATION": "Information from care; it cannot be answered.",
        "QUESTION": "A question from care; it can be answered (R-111).",
        "INVITATION": "An invitation (kallelse): a booked time, or a time to book (R-107).",
        "FORM_REQUEST": "A form to answer.",
        "RESULT": "A result, e.g. of a sample.",
        "EARLIER_TIME_OFFER": "An earlier time, offered when someone cancelled.",
        "ERRAND_ANSWER": "The clinic answered an errand; answering it continues the errand.",
    },
    "InboxEventKind": {
        "MESSAGE_ARRIVED": "A message arrived in the inbox.",
        "MESSAGE_READ": "A message was marked read (on this device or another).",
        "MESSAGE_ARCHIVED": "A message was archived, or taken back out of the archive.",
    },
    "NotificationChannel": {
        "SMS": "A text message to the mobile number.",
        "EMAIL": "An e-mail to the address.",
    },
    "MessageDelivery": {
        "DELIVERED": "It is in the person's inbox.",
        "NOT_REACHABLE": "The person could not be reached (R-105: never why).",
    },
    "ErrandStatus": {
        "SENT": "Sent, not yet taken up by the clinic.",
        "IN_PROGRESS": "The clinic is handling it.",
        "ANSWERED": "The clinic has answered; the citizen may reply.",
        "CLOSED": "Done; no more messages.",
    },
    "FormRequestStatus": {
        "OPEN": "Waiting for answers; drafts may be saved.",
        "SUBMITTED": "Answered and submitted; the answers are read-only.",
    },
    "QuestionKind": {
        "TEXT": "Free text.",
        "NUMBER": "A number, within the question's range if it has one.",
        "DATE": "A date, YYYY-MM-DD.",
        "BOOLEAN": 'Yes or no: "true" or "false".',
        "SINGLE_CHOICE": "One of the question's options.",
        "MULTI_CHOICE": "Any of the question's options.",
    },
    "JournalCategory": {
        "NOTE": "A note (anteckning): a visit, a call, a discharge summary.",
        "DIAGNOSIS": "A diagnosis, with its ICD-10-SE code.",
        "LAB_RESULT": "A lab report and its analyses.",
        "VACCINATION": "A vaccination given.",
        "CARE_CONTACT": "A care contact: a visit, a call, an admission.",
        "MEDICATION": "A medication prescribed or given.",
        "REFERRAL": "A referral to another unit.",
    },
    "ListingKind": {
        "PRIMARY_CARE": "A vårdcentral (R-165).",
        "CHILD_HEALTH": "A child's barnavårdscentral, listed apart (R-170).",
    },
    "ListingStatus": {
        "PENDING": "Asked for; the region has not registered it yet (R-168).",
        "ACTIVE": "Listed there now.",
        "QUEUED": "In the centre's queue (R-166); the listing before it stands.",
        "REFUSED": "The region's listing office refused it.",
        "ENDED": "Replaced by another, or a queue place given up by a change (R-171).",
    },
    "ListingDecision": {
        "REGISTER": "Listed from today; the listing it replaces ends yesterday.",
        "QUEUE": "Into the centre's queue (the person consented, R-166).",
        "REFUSE": "Refused: the person stays where they are.",
    },
    "PrescriptionsUnavailableReason": {
        "RENEWAL_NOT_OFFERED": "The clinic renews nothing from the list: a padlock (R-150).",
        "NOT_YET": "Nobody sees the list between 13 and 18; it opens on `opensOn` (R-157). "
        "A renewal can still be asked for in an errand of its own.",
    },
    "NotRenewableReason": {
        "PRESCRIBED_ELSEWHERE": "Another care provider prescribed it: ask the prescriber.",
        "NEEDS_VISIT": "The clinic renews it only after a visit (R-153).",
    },
    "JournalAccess": {
        "OPEN": "The journal can be read now.",
        "NOT_YET": "Nobody reads it now: it opens to its owner on `opensOn` (R-134).",
    },
    "ResultInterpretation": {
        "NORMAL": "Within the reference range.",
        "HIGH": "Above the reference range.",
        "LOW": "Below the reference range.",
        "ABNORMAL": "Outside what the lab counts as normal (a value with no range).",
    },
    "RegionFeature": {
        "BOOKING": "Booking, rebooking and cancelling appointments online.",
        "CERTIFICATES": "Reading, downloading and sending medical certificates.",
        "FORMS": "Answering forms sent by clinics.",
        "JOURNAL": "Reading the journal.",
        "INBOX": "The inbox: messages and invitations from care.",
        "PRESCRIPTION_RENEWAL": "Renewing prescriptions from the list of medications.",
        "LISTING": "Choosing a primary-care centre (listing).",
        "SAMPLE_HANDLING": "Ordering one's own samples and home tests.",
        "SUPPORT_PROGRAMS": "Support and treatment programs.",
        "COMPLAINTS": "Complaints to the care provider or the patient board.",
    },
    "SampleCategory": {
        "CHRONIC_FOLLOW_UP": "Follow-up of a long-term illness, e.g. HbA1c for diabetes.",
        "TREATMENT_FOLLOW_UP": "Follow-up of an ongoing treatment.",
        "DRUG_LEVEL": "The level of a medicine in the blood, e.g. lithium.",
        "SCREENING": "A screening test, e.g. for cervical cancer: offered to whole age groups.",
        "INFECTION": "A test for an infection.",
        "STI": "A test for a sexually transmitted infection (R-185); never ordered by a guardian.",
        "OTHER": "Any other sample.",
    },
    "SampleLocationKind": {
        "SAMPLING_UNIT": "Taken at a sampling unit, which looks the order up (R-181).",
        "HOME_KIT": "A kit sent to the registered address, sent back to the clinic (R-181).",
    },
    "SampleOrderStatus": {
        "ORDERED": "Ordered: waiting for the sample within its window.",
        "FETCHED": "The unit took the sample, or received the kit (R-186).",
        "ANSWERED": "The lab's result is here (R-182).",
        "EXPIRED": "The window closed before the sample came in (R-184): order again.",
        "CANCELLED": "Cancelled before the sample was taken.",
    },
    "ComplaintReceiver": {
        "CARE_PROVIDER": "The clinic it is about (its care provider).",
        "PATIENT_BOARD": "The region's patient board, patientnämnden (R-200).",
    },
    "ComplaintStatus": {
        "RECEIVED": "Received: in the receiver's queue.",
        "IN_PROGRESS": "The receiver is looking into it.",
        "ANSWERED": "Answered; the answer is also in the inbox (R-200).",
        "CLOSED": "Closed without (more) answer, e.g. an anonymous one.",
    },
    "StaffRole": {
        "ERRAND_HANDLER": "Handles the clinic's errands: its queue, replies, statuses, forms sent.",
        "ERRAND_TYPE_ADMIN": "Administers the clinic's errand types and forms.",
        "SCHEDULER": "Publishes the clinic's bookable times.",
        "REGION_ADMIN": "Administers a region: its base errand types and usage statistics.",
        "LISTING_ADMIN": "The region's listing office: registers or refuses listings (R-168).",
        "SAMPLE_HANDLER": "Handles the clinic's samples: assigns offers, takes the samples "
        "ordered there (R-186) and records their results (R-182).",
        "COMPLAINT_HANDLER": "Handles the complaints to the unit, or to the region's patient "
        "board at its unit, and answers them (R-200).",
    },
    "UserErrorCode": {
        "NOT_FOUND": "No such thing, or not yours: the two answer alike (R-22).",
        "FORBIDDEN": "At your own clinic, but your commission there lacks the role this needs.",
        "INVALID_INPUT": "A value is not valid here; the message says why.",
        "TOO_LONG": "A text is longer than allowed.",
        "CONTROL_CHARACTERS": "A text holds control, private-use or bidirectional characters.",
        "REQUIRED": "A required value is missing or empty.",
        "SLOT_TAKEN": "Someone else booked that time first.",
        "SLOT_IN_PAST": "That time has passed.",
        "SLOT_NOT_COMPATIBLE": "That time is of another kind or clinic than the booking.",
        "ONLINE_BOOKING_UNAVAILABLE": "The clinic does not take bookings online (R-80).",
        "NAME_MISSING": "Booking needs the person's registered name (R-87).",
        "BOOKING_NOT_ACTIVE": "The booking is cancelled already.",
        "BOOKING_IN_PAST": "The booking's time has passed.",
        "CANCELLATION_NOT_ALLOWED": "The clinic does not allow cancelling this booking (R-83).",
        "REBOOKING_NOT_ALLOWED": "The clinic does not allow moving this booking (R-83).",
        "MESSAGE_NOT_ALLOWED": "The clinic takes no message with this cancellation (R-83).",
        "ERRAND_TYPE_UNAVAILABLE": "The errand type is retired or not offered at this clinic.",
        "NOT_OPEN_TO_GUARDIANS": "A guardian may not use this errand type for a child.",
        "ERRAND_CLOSED": "The errand is closed: no more messages.",
        "REPLY_NOT_ALLOWED": "This message cannot be answered (information, a broadcast).",
        "INBOX_UNAVAILABLE": "The clinic's region does not offer messages to the inbox.",
        "INVALID_ANSWER": "An answer does not fit its question (kind, choices, range).",
        "UNKNOWN_QUESTION": "An answer names a question the form does not have.",
        "DUPLICATE_ANSWER": "A question is answered twice.",
        "ALREADY_SUBMITTED": "The form was submitted already; its answers are read-only.",
        "ALREADY_SENT": "The certificate was sent to that recipient already (R-91).",
        "RECIPIENT_NOT_AVAILABLE": "This certificate cannot be sent to that recipient.",
        "INVALID_TRANSITION": "An errand cannot move from its status to that one.",
        "INVALID_TIME": "A time is invalid: no offset, ends before it starts, or out of range.",
        "OVERLAPPING_SLOT": "A time overlaps another of the same booking type.",
        "INVALID_QUESTION": "A question of a new form is not valid, e.g. a choice without options.",
        "FORM_NOT_AVAILABLE": "The form is not one of this clinic's.",
        "TOO_MANY": "Too many items at once; the message says how many are allowed.",
        "MANAGED_BY_REGIONAL_SYSTEM": "This is changed in the region's own system, not here.",
        "IDEMPOTENCY_KEY_REUSED": "The idempotency key was used with another input.",
        "SOURCE_UNAVAILABLE": "The region's system failed: nothing was done.",
        "SOURCE_TIMEOUT": "The region's system did not answer in time: retry with the same key.",
        "RENEWAL_NOT_OFFERED": "The clinic renews nothing from the medication list (R-150).",
        "MEDICATION_LIST_NOT_OPEN": "No medication list from 13 to 18 (R-157): ask for the "
        "renewal in an errand of its own.",
        "NOT_RENEWABLE_HERE": "The clinic cannot renew this one: another care provider "
        "prescribed it, or it is renewed only after a visit (R-152, R-153).",
        "LISTING_NOT_OFFERED": "Listing there needs both your region and the centre's to offer "
        "it (R-169).",
        "NOT_LISTABLE": "The centre takes no listings.",
        "QUEUE_CONSENT_REQUIRED": "The centre has a queue: consent with joinQueue (R-166).",
        "TOO_MANY_CHANGES": "Two changes in twelve months already (R-165); see "
        "nextChangeAllowedOn.",
        "ALREADY_LISTED_THERE": "Already listed at this centre.",
        "CHANGE_PENDING": "A change waits for the region already (R-168).",
        "ALREADY_DECIDED": "The request was decided meanwhile.",
        "SAMPLE_HANDLING_UNAVAILABLE": "The clinic's region does not offer sample handling.",
        "OFFER_EXPIRED": "The offer's last day to order has passed (R-184).",
        "ORDER_LIMIT_REACHED": "Every order the offer allows is placed already (R-180).",
        "BELOW_AGE_LIMIT": "The offer is for people older than this (R-184).",
        "LOCATION_NOT_OFFERED": "The offer is not taken there: see its locations (R-181).",
        "ORDER_EXPIRED": "The order's window closed before the sample came in (R-184).",
        "COMPLAINTS_UNAVAILABLE": "The region takes no complaints through 1177: it names no "
        "patient board (R-202).",
        "NO_ANSWER_POSSIBLE": "The complaint is anonymous: there is no one to answer (R-205).",
    },
}


def describe_enum_values(schema: GraphQLSchema) -> None:
    """Sets each value's description; a value the table lacks keeps none (and the test fails)."""
    for name, values in DESCRIPTIONS.items():
        enum = schema.type_map[name]
        assert isinstance(enum, GraphQLEnumType), name
        for value, description in values.items():
            enum.values[value].description = description
