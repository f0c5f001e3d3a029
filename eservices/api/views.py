"""The API's views: thin, over the services (which check the client's rights) and the scoped queries.

Every object is fetched through a query scoped to the client's units first, so another unit's object is 404;
every POST carries an ``Idempotency-Key``; errors are problem details (``problems.py``).
"""

import datetime
import hashlib
import json

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import quote_etag
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from eservices.access import abilities
from eservices.access import services as access_services
from eservices.access.downloads import document_download
from eservices.casefiles import queries as casefile_queries
from eservices.casefiles import services as casefile_services
from eservices.core.downloads import deliver, file_response
from eservices.deposits import queries as deposit_queries
from eservices.deposits import services as deposit_services
from eservices.intake.downloads import attachment_response
from eservices.mailbox import queries as mailbox_queries
from eservices.mailbox import services as mailbox_services
from eservices.units import staff

from . import feed, problems, queries
from . import serializers as s
from .auth import log_access
from .models import IdempotentRequest

PROBLEM = OpenApiResponse(
    response=inline_serializer(
        "Problem",
        {
            "type": serializers.CharField(),
            "title": serializers.CharField(),
            "status": serializers.IntegerField(),
            "detail": serializers.CharField(),
        },
    ),
    description="RFC 9457 problem details",
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="A unique key per operation; a retry with the same key and body gets the first answer again.",
)
ERRORS = {400: PROBLEM, 401: PROBLEM, 403: PROBLEM, 404: PROBLEM, 429: PROBLEM}
WRITE_ERRORS = {**ERRORS, 409: PROBLEM, 422: PROBLEM}
BINARY = OpenApiResponse(response=OpenApiTypes.BINARY, description="The file, streamed")


class Pagination(CursorPagination):
    """Cursor pagination in creation order: no COUNT, stable under inserts."""

    ordering = "id"
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        self.page_size = settings.API_PAGE_SIZE
        return super().get_page_size(request)


class ApiView(GenericAPIView):
    """Common ground: the access log, the Django request handed to the services (it carries the client)."""

    pagination_class = Pagination
    required_scopes: dict = {}

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        log_access(request, response)
        return response

    @property
    def actor(self):
        return self.request.user

    @property
    def django_request(self):
        return self.request._request

    def paginated(self, queryset, serializer_class):
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(serializer_class(page, many=True).data)

    def idempotent(self, create):
        """Run ``create()`` (returning a ``Response``) once per ``Idempotency-Key``: a retry with the same key and
        the same request gets the stored answer; the same key with another request is a conflict."""
        key = self.request.headers.get("Idempotency-Key", "").strip()
        if not key or len(key) > 255:
            raise problems.IdempotencyKeyRequired()
        client = self.request.api_client_object
        fingerprint = _fingerprint(self.request)
        cutoff = timezone.now() - datetime.timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
        IdempotentRequest.objects.filter(client=client, created_at__lt=cutoff).delete()
        try:
            with transaction.atomic():
                slot = IdempotentRequest.objects.create(client=client, key=key, fingerprint=fingerprint, status=0)
        except IntegrityError:
            previous = IdempotentRequest.objects.get(client=client, key=key)
            if previous.fingerprint != fingerprint:
                raise problems.Conflict("This idempotency key was used for another request.") from None
            if previous.status == 0:
                raise problems.Conflict("A request with this idempotency key is still being processed.") from None
            headers = {"Idempotent-Replayed": "true"}
            if previous.location:
                headers["Location"] = previous.location
            return Response(previous.body, status=previous.status, headers=headers)
        try:
            response = create()
        except BaseException:
            IdempotentRequest.objects.filter(pk=slot.pk).delete()
            raise
        slot.status, slot.body, slot.location = response.status_code, response.data, response.get("Location", "")
        slot.save(update_fields=["status", "body", "location"])
        return response


def _fingerprint(request):
    data = {key: value for key, value in request.data.items() if not hasattr(value, "read")}
    files = sorted((name, upload.name, upload.size) for name, upload in request.FILES.items())
    text = json.dumps([request.method, request.path, data, files], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def etag_of(instance):
    """A cheap strong ETag: the row's id and last change."""
    return quote_etag(f"{instance.pk}-{instance.updated_at.timestamp()}")


def _check_if_match(request, etag):
    header = request.headers.get("If-Match")
    if header and header.strip() != "*" and etag not in [part.strip() for part in header.split(",")]:
        raise problems.PreconditionFailed()


# Case files ------------------------------------------------------------------------------------------------


class CaseFileList(ApiView):
    required_scopes = {"GET": "casefiles:read", "POST": "casefiles:write"}
    serializer_class = s.CaseFileSerializer

    def get_queryset(self):
        case_files = casefile_queries.case_files_for_staff(self.actor)
        params = self.request.query_params
        for name in ("status", "kind", "reference"):
            if params.get(name):
                case_files = case_files.filter(**{name: params[name]})
        if params.get("unit"):
            case_files = case_files.filter(unit__code=params["unit"])
        return case_files

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str),
            OpenApiParameter("kind", str),
            OpenApiParameter("reference", str),
            OpenApiParameter("unit", str),
        ],
        responses={200: s.CaseFileSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        """Case files of the client's units, oldest first, filtered by status, kind, reference or unit."""
        return self.paginated(self.get_queryset(), s.CaseFileSerializer)

    @extend_schema(
        request=s.CaseFileCreateSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: s.CaseFileSerializer, **WRITE_ERRORS},
    )
    def post(self, request):
        """Open a case file in one of the client's units."""

        def create():
            data = _valid(s.CaseFileCreateSerializer, request.data)
            unit = get_object_or_404(staff.units_of(self.actor), code=data.pop("unit"))
            case_file = casefile_services.create_case_file(
                actor=self.actor, unit=unit, request=self.django_request, **data
            )
            return Response(s.CaseFileSerializer(case_file).data, status=status.HTTP_201_CREATED)

        return self.idempotent(create)


class CaseFileDetail(ApiView):
    required_scopes = {"GET": "casefiles:read", "PATCH": "casefiles:write"}
    serializer_class = s.CaseFileSerializer

    def get_object(self):
        return get_object_or_404(casefile_queries.case_files_for_staff(self.actor), pk=self.kwargs["pk"])

    @extend_schema(responses={200: s.CaseFileSerializer, 304: None, **ERRORS})
    def get(self, request, pk):
        """One case file; answers 304 to a matching ``If-None-Match``."""
        case_file = self.get_object()
        etag = etag_of(case_file)
        if etag in [part.strip() for part in request.headers.get("If-None-Match", "").split(",")]:
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response(s.CaseFileSerializer(case_file).data, headers={"ETag": etag})

    @extend_schema(
        request=s.CaseFileUpdateSerializer,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER)],
        responses={200: s.CaseFileSerializer, 412: PROBLEM, **WRITE_ERRORS},
    )
    def patch(self, request, pk):
        """Change a case file; with ``If-Match``, only if nobody changed it since it was read."""
        with transaction.atomic():
            case_file = self.get_object()
            _check_if_match(request, etag_of(case_file))
            data = _valid(s.CaseFileUpdateSerializer, request.data)
            case_file = casefile_services.update_case_file(
                actor=self.actor, case_file=case_file, request=self.django_request, **data
            )
        return Response(s.CaseFileSerializer(case_file).data, headers={"ETag": etag_of(case_file)})


def _valid(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _case_file(view):
    return get_object_or_404(casefile_queries.case_files_for_staff(view.actor), pk=view.kwargs["case_file"])


class PartyList(ApiView):
    required_scopes = {"GET": "casefiles:read", "POST": "casefiles:write"}
    serializer_class = s.PartySerializer

    @extend_schema(responses={200: s.PartySerializer(many=True), **ERRORS})
    def get(self, request, case_file):
        """The parties of a case file."""
        return self.paginated(_case_file(self).parties.all(), s.PartySerializer)

    @extend_schema(
        request=s.PartyCreateSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: s.PartySerializer, **WRITE_ERRORS},
    )
    def post(self, request, case_file):
        """Add a party; a national register number is kept only as its keyed hash."""

        def create():
            target = _case_file(self)
            data = _valid(s.PartyCreateSerializer, request.data)
            party = casefile_services.add_party(actor=self.actor, case_file=target, request=self.django_request, **data)
            return Response(s.PartySerializer(party).data, status=status.HTTP_201_CREATED)

        return self.idempotent(create)


# Documents -------------------------------------------------------------------------------------------------


class DocumentList(ApiView):
    required_scopes = {"GET": "documents:read", "POST": "documents:write"}
    serializer_class = s.DocumentSerializer

    @extend_schema(responses={200: s.DocumentSerializer(many=True), **ERRORS})
    def get(self, request, case_file):
        """The documents of a case file."""
        return self.paginated(_case_file(self).documents.all(), s.DocumentSerializer)

    @extend_schema(
        request={"multipart/form-data": s.DocumentUploadSerializer},
        parameters=[IDEMPOTENCY_KEY],
        responses={201: s.DocumentSerializer, **WRITE_ERRORS},
    )
    def post(self, request, case_file):
        """Add a document: the file goes through the intake pipeline (type by content, antivirus), with the
        same verdicts as an upload on the screens (422 with the refusal's code)."""

        def create():
            target = _case_file(self)
            data = _valid(s.DocumentUploadSerializer, request.data)
            upload = data.pop("file")
            document = casefile_services.add_document(
                actor=self.actor,
                case_file=target,
                content=upload,
                filename=upload.name,
                request=self.django_request,
                idempotency_key=f"api:{request.api_client_object.pk}:{request.headers['Idempotency-Key']}"[:64],
                **data,
            )
            return Response(s.DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

        return self.idempotent(create)


class DocumentContent(ApiView):
    required_scopes = {"GET": "documents:read"}

    @extend_schema(responses={200: BINARY, 206: BINARY, 304: None, **ERRORS})
    def get(self, request, pk):
        """The document's bytes, through the portal's download path (ranges, ETag); recorded as DOWNLOADED
        evidence naming the client when the answer hands the document over."""
        return document_download(self.django_request, pk)


# Notifications ---------------------------------------------------------------------------------------------


class NotificationList(ApiView):
    required_scopes = {"GET": "notifications:read", "POST": "notifications:write"}
    serializer_class = s.MessageSerializer

    @extend_schema(
        parameters=[OpenApiParameter("case_file", int)], responses={200: s.MessageSerializer(many=True), **ERRORS}
    )
    def get(self, request):
        """Messages sent by the client's units."""
        messages = mailbox_queries.messages_for_staff(self.actor)
        if request.query_params.get("case_file", "").isdigit():
            messages = messages.filter(case_file_id=request.query_params["case_file"])
        return self.paginated(messages, s.MessageSerializer)

    @extend_schema(
        request=s.NotificationSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: s.MessageSerializer(many=True), **WRITE_ERRORS},
    )
    def post(self, request):
        """Send a notification or communication of a case file to some of its parties, with documents of the
        case file attached: one message in each addressee's mailbox, made-available evidence, e-mail alerts."""

        def create():
            data = _valid(s.NotificationSerializer, request.data)
            case_file = get_object_or_404(casefile_queries.case_files_for_staff(self.actor), pk=data["case_file"])
            parties = list(case_file.parties.filter(pk__in=data["parties"]).select_related("user", "company"))
            if len(parties) != len(set(data["parties"])) or any(not (p.user or p.company) for p in parties):
                raise problems.unprocessable(
                    "parties", "Each addressee must be a party of the case file with an account."
                )
            documents = list(case_file.documents.filter(pk__in=data["documents"]))
            if len(documents) != len(set(data["documents"])):
                raise problems.unprocessable("documents", "Each document must belong to the case file.")
            mailboxes = list(
                dict.fromkeys(
                    mailbox_services.mailbox_of_user(p.user)
                    if p.user
                    else mailbox_services.mailbox_of_company(p.company)
                    for p in parties
                )
            )
            dispatch = mailbox_services.prepare_dispatch(
                actor=self.actor,
                case_file=case_file,
                kind=data["kind"],
                subject=data["subject"],
                text=data["text"],
                addressees=mailboxes,
                documents=documents,
                time_limit_months=data["time_limit_months"],
                time_limit_days=data["time_limit_days"],
                request=self.django_request,
            )
            messages = mailbox_services.send_dispatch(actor=self.actor, dispatch=dispatch, request=self.django_request)
            return Response(s.MessageSerializer(messages, many=True).data, status=status.HTTP_201_CREATED)

        return self.idempotent(create)


class NotificationEvidence(ApiView):
    required_scopes = {"GET": "notifications:read"}

    @extend_schema(responses={200: s.EvidenceSerializer(many=True), **ERRORS})
    def get(self, request, pk):
        """The evidence of one message, oldest first (made available, alert sent, opened, deemed received...)."""
        message = get_object_or_404(mailbox_queries.messages_for_staff(self.actor), pk=pk)
        events = feed.events_of(message)
        return Response(s.EvidenceSerializer(events, many=True).data)


# Deposits --------------------------------------------------------------------------------------------------


class DepositList(ApiView):
    required_scopes = {"GET": "deposits:read"}
    serializer_class = s.DepositSerializer

    @extend_schema(
        parameters=[OpenApiParameter("state", str, enum=["received", "opened", "acknowledged"])],
        responses={200: s.DepositSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        """Deposits addressed to the client's units; ``state=received`` lists the new ones."""
        deposits = deposit_queries.deposits_for_staff(self.actor).prefetch_related("files")
        if request.query_params.get("state"):
            deposits = deposits.filter(state=request.query_params["state"])
        return self.paginated(deposits, s.DepositSerializer)


def _deposit(view, pk):
    return get_object_or_404(deposit_queries.deposits_for_staff(view.actor), pk=pk)


class DepositDetail(ApiView):
    required_scopes = {"GET": "deposits:read"}

    @extend_schema(responses={200: s.DepositSerializer, **ERRORS})
    def get(self, request, pk):
        """One deposit with its files."""
        return Response(s.DepositSerializer(_deposit(self, pk)).data)


class DepositFileContent(ApiView):
    required_scopes = {"GET": "deposits:read"}

    @extend_schema(responses={200: BINARY, 206: BINARY, 304: None, **ERRORS})
    def get(self, request, pk, position):
        """One deposited file (404 until the antivirus released it); the first download opens the deposit."""
        deposit = _deposit(self, pk)
        item = get_object_or_404(deposit.files, position=position)
        return attachment_response(
            self.django_request,
            item.stored_file,
            record=lambda: deposit_services.open_deposit(
                actor=self.actor, deposit=deposit, request=self.django_request
            ),
        )


class DepositReceipt(ApiView):
    required_scopes = {"GET": "deposits:read"}

    @extend_schema(responses={200: BINARY, 304: None, **ERRORS})
    def get(self, request, pk):
        """The signed proof of deposit (PDF); 404 while it is being signed."""
        deposit = _deposit(self, pk)
        receipt = deposit_services.receipt_of(deposit)
        if receipt is None or not receipt.pdf:
            raise Http404
        response = file_response(
            self.django_request,
            name=receipt.pdf.name,
            filename=f"proof-of-deposit-{deposit.number}.pdf",
            media_type="application/pdf",
            size=receipt.pdf.size,
            sha256=receipt.sha256,
        )
        return deliver(
            self.django_request,
            response,
            lambda: deposit_services.record_receipt_download(
                actor=self.actor, deposit=deposit, request=self.django_request
            ),
        )


class DepositAcknowledge(ApiView):
    required_scopes = {"POST": "deposits:write"}

    @extend_schema(request=None, parameters=[IDEMPOTENCY_KEY], responses={200: s.DepositSerializer, **WRITE_ERRORS})
    def post(self, request, pk):
        """The addressee unit has triaged the deposit; the depositor sees it."""

        def create():
            deposit = deposit_services.acknowledge(
                actor=self.actor, deposit=_deposit(self, pk), request=self.django_request
            )
            return Response(s.DepositSerializer(deposit).data)

        return self.idempotent(create)


# Access requests and representations -----------------------------------------------------------------------


class AccessRequestList(ApiView):
    required_scopes = {"GET": "access_requests:read"}
    serializer_class = s.AccessRequestSerializer

    @extend_schema(
        parameters=[OpenApiParameter("state", str)], responses={200: s.AccessRequestSerializer(many=True), **ERRORS}
    )
    def get(self, request):
        """Access requests addressed to the client's units."""
        requests = abilities.requests_for_staff(self.actor).select_related("unit")
        if request.query_params.get("state"):
            requests = requests.filter(state=request.query_params["state"])
        return self.paginated(requests, s.AccessRequestSerializer)


class AccessRequestDecision(ApiView):
    required_scopes = {"POST": "access_requests:write"}

    @extend_schema(
        request=s.AccessDecisionSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={200: s.AccessRequestSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        """Grant (the whole case file, until a date) or refuse (a reason from the list, explained): the requester
        is told, as from the back office."""

        def create():
            access_request = abilities.request_for_staff(self.actor, pk)
            data = _valid(s.AccessDecisionSerializer, request.data)
            if data["decision"] == "grant":
                if access_request.case_file_id is None:
                    raise problems.unprocessable("decision", "Link the request to a case file first.")
                access_services.grant(
                    actor=self.actor,
                    access_request=access_request,
                    valid_until=data.get("valid_until"),
                    request=self.django_request,
                )
            else:
                if not data.get("reason"):
                    raise problems.unprocessable("reason", "A refusal needs a reason.")
                access_services.refuse(
                    actor=self.actor,
                    access_request=access_request,
                    reason=data["reason"],
                    details=data["details"],
                    request=self.django_request,
                )
            access_request.refresh_from_db()
            return Response(s.AccessRequestSerializer(access_request).data)

        return self.idempotent(create)


class RepresentationList(ApiView):
    required_scopes = {"GET": "representations:read"}
    serializer_class = s.RepresentationSerializer

    @extend_schema(responses={200: s.RepresentationSerializer(many=True), **ERRORS})
    def get(self, request):
        """Representations of the companies that are parties in the client's units' case files."""
        return self.paginated(queries.representations_for_staff(self.actor), s.RepresentationSerializer)


# Evidence feed ---------------------------------------------------------------------------------------------


class EvidenceFeed(ApiView):
    required_scopes = {"GET": "evidence:read"}

    @extend_schema(
        parameters=[
            OpenApiParameter("after", int, description="The last position read; 0 (or absent) from the start."),
            OpenApiParameter("limit", int, description="At most this many events (default 100, at most 500)."),
        ],
        responses={
            200: inline_serializer(
                "EvidenceFeedPage",
                {
                    "events": s.EvidenceSerializer(many=True),
                    "next_after": serializers.IntegerField(),
                    "as_of": serializers.DateTimeField(),
                },
            ),
            **ERRORS,
        },
    )
    def get(self, request):
        """Evidence events of the client's units after a position, in an order that never changes: poll with
        ``after=next_after`` and nothing is missed or seen twice (docs/api.md, "Evidence feed")."""
        after = _int(request.query_params.get("after"), 0)
        limit = min(max(_int(request.query_params.get("limit"), 100), 1), 500)
        events, next_after = feed.page(self.actor, after=after, limit=limit)
        return Response(
            {"events": s.EvidenceSerializer(events, many=True).data, "next_after": next_after, "as_of": timezone.now()}
        )


def _int(value, default):
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        raise problems.unprocessable("after", "Give a whole number.") from None
