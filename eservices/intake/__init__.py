"""File intake: every uploaded file is checked by content, scanned and stored atomically in constant memory.

A floor-2 mechanism: it knows nothing of case files, deposits or mailboxes. The API callers use::

    from eservices.intake import policies, services

    result = services.receive(uploaded_file, policy=policies.DEPOSIT, actor=user, request=request,
                              idempotency_key=form_token)
    if result.accepted:
        stored = result.stored_file      # StoredFile: storage_key, sha256, size, media_type, display_name,
                                         # original_name, scan_status (clean, pending, infected, not_scanned)
    else:
        result.code, result.reason       # a stable code and its translated, human reason

    outcome = services.receive_submission(files, policy=policies.DEPOSIT, actor=user, request=request)
    outcome.accepted                     # all or nothing; outcome.files holds one IntakeResult per file

- Policies (``policies.py``): ``deposit`` (PDF, XLSX, XLS), ``supporting_document`` (PDF),
  ``casefile_document`` (PDF, XLSX, XLS); limits from INTAKE_MAX_FILE_MB, INTAKE_MAX_SUBMISSION_MB,
  INTAKE_MAX_FILES.
- Streaming: the upload is copied to a private work file while hashed and counted (refused as soon as it passes
  the limit), checked, scanned, then written to ``default_storage`` under ``intake/<uuid>``; the row is committed
  last, and nothing is visible before. ``uploads.LimitedUploadHandler`` keeps request bodies on disk and cuts
  them at the limit (``uploads.use_policy(request, policy)`` in a view before reading ``request.FILES``, then
  ``services.refuse_cut_upload(request, policy=...)`` records and returns the refusal of a cut upload).
- Type by content (``content.py``): extension, libmagic and a structural parse (``pdf.py``, ``xlsx.py``,
  ``xls.py``) must agree; any exception refuses the file.
- Antivirus (``antivirus.py``): clamd INSTREAM at CLAMD_ADDRESS. Unreachable: the file is stored as
  ``pending`` and released only after ``manage.py process_pending_scans``; over clamd's stream limit: refused as
  ``not_scanned``. Only :attr:`StoredFile.is_released` files may be shown (``StoredFile.open()`` enforces it).
- ``downloads.attachment_response(request, stored_file, record=...)`` serves a released file as an inert attachment
  (404 otherwise), calling ``record()`` when the answer hands the file over.
- Each refusal is an :class:`IntakeRejection` row plus an ``intake.rejected`` audit event.
- ``services.discard(stored_file)`` withdraws an accepted file its caller could not use (row now, bytes after
  commit).
- ``manage.py cleanup_intake`` removes work files and unreferenced stored keys older than a given age.
"""
