"""Form pieces every face reuses."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is cleaned like a single file."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or on the form when it names no field of it)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def submit(
    request: HttpRequest,
    form: forms.BaseForm,
    action: Callable[[], Any],
    *,
    success: str,
    then: Callable[[Any], HttpResponse],
) -> HttpResponse | None:
    """Run the service call ``action`` for a valid ``form``: done, flash ``success`` and answer ``then(result)``
    (a redirect); refused (ValidationError), put its errors on the form and answer None, so that the view shows
    the form again. The one copy of the views' try / errors / redirect block."""
    try:
        result = action()
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    messages.success(request, success)
    return then(result)
