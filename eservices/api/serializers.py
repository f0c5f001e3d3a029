"""What the API reads and writes: plain fields, ids, codes; never a national register number."""

from rest_framework import serializers

from eservices.access.models import AccessRequest, RefusalReason
from eservices.casefiles.models import CaseFile, Document, Party
from eservices.deposits.models import Deposit, DepositFile
from eservices.evidence.models import EvidenceEvent
from eservices.identity.models import Representation
from eservices.mailbox.models import Message, MessageKind


class CaseFileSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = CaseFile
        fields = [
            "id",
            "reference",
            "unit",
            "kind",
            "subject",
            "status",
            "language",
            "opened_on",
            "hearing_on",
            "decided_on",
            "closed_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CaseFileCreateSerializer(serializers.Serializer):
    unit = serializers.CharField(max_length=10, help_text="The unit's code; one of the client's units.")
    reference = serializers.CharField(max_length=40)
    kind = serializers.ChoiceField(choices=CaseFile.Kind.choices)
    subject = serializers.CharField(max_length=300)
    language = serializers.ChoiceField(choices=CaseFile._meta.get_field("language").choices)
    opened_on = serializers.DateField()
    hearing_on = serializers.DateField(required=False, allow_null=True)


class CaseFileUpdateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CaseFile.Kind.choices, required=False)
    subject = serializers.CharField(max_length=300, required=False)
    status = serializers.ChoiceField(choices=CaseFile.Status.choices, required=False)
    language = serializers.ChoiceField(choices=CaseFile._meta.get_field("language").choices, required=False)
    opened_on = serializers.DateField(required=False)
    hearing_on = serializers.DateField(required=False, allow_null=True)
    decided_on = serializers.DateField(required=False, allow_null=True)
    closed_on = serializers.DateField(required=False, allow_null=True)


class PartySerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = ["id", "role", "display_name", "inami_number", "company", "represents"]
        read_only_fields = fields


class PartyCreateSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Party.Role.choices)
    display_name = serializers.CharField(max_length=200)
    national_number = serializers.CharField(
        max_length=20, required=False, allow_blank=True, write_only=True, help_text="Kept only as its keyed hash."
    )
    inami_number = serializers.CharField(max_length=11, required=False, allow_blank=True)


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = [
            "id",
            "title",
            "kind",
            "document_date",
            "original_filename",
            "media_type",
            "size",
            "sha256",
            "visibility",
            "created_at",
        ]
        read_only_fields = fields


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    title = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=Document.Kind.choices)
    document_date = serializers.DateField()
    visibility = serializers.ChoiceField(choices=Document.Visibility.choices, default=Document.Visibility.STAFF_ONLY)


class NotificationSerializer(serializers.Serializer):
    case_file = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=MessageKind.choices)
    subject = serializers.CharField(max_length=200)
    text = serializers.CharField(required=False, allow_blank=True, default="")
    parties = serializers.ListField(
        child=serializers.IntegerField(), min_length=1, help_text="Parties of the case file (with an account)."
    )
    documents = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    time_limit_months = serializers.IntegerField(min_value=0, max_value=24, default=0)
    time_limit_days = serializers.IntegerField(min_value=0, max_value=365, default=0)


class MessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Message
        fields = [
            "id",
            "dispatch",
            "case_file",
            "kind",
            "subject",
            "made_available_at",
            "opened_at",
            "deemed_received_at",
            "deadline",
        ]
        read_only_fields = fields


class EvidenceSerializer(serializers.ModelSerializer):
    position = serializers.IntegerField(source="id", read_only=True)

    class Meta:
        model = EvidenceEvent
        fields = ["position", "event", "occurred_at", "subject_type", "subject_id", "actor_label", "capacity"]
        read_only_fields = fields


class DepositFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = DepositFile
        fields = ["position", "original_filename", "media_type", "size", "sha256", "document"]
        read_only_fields = fields


class DepositSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    files = DepositFileSerializer(many=True, read_only=True)

    class Meta:
        model = Deposit
        fields = [
            "id",
            "number",
            "reference",
            "case_file",
            "unit",
            "capacity",
            "message",
            "accepted_at",
            "state",
            "triage_due_on",
            "acknowledged_at",
            "files",
        ]
        read_only_fields = fields


class AccessRequestSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = AccessRequest
        fields = [
            "id",
            "reference",
            "case_file",
            "unit",
            "capacity",
            "state",
            "submitted_at",
            "decision_due_on",
            "refusal_reason",
        ]
        read_only_fields = fields


class AccessDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["grant", "refuse"])
    reason = serializers.ChoiceField(choices=RefusalReason.choices, required=False)
    details = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    valid_until = serializers.DateField(required=False, allow_null=True)


class RepresentationSerializer(serializers.ModelSerializer):
    company = serializers.SlugRelatedField(slug_field="company_number", read_only=True)
    person = serializers.CharField(source="user.get_full_name", read_only=True)

    class Meta:
        model = Representation
        fields = ["id", "company", "person", "status", "source", "requested_at", "decided_at", "ended_at"]
        read_only_fields = fields
