from email import message_from_bytes

from django.core.mail import mailers, send_mail


def test_folder_backend_writes_one_readable_file_per_mail(settings, tmp_path):
    settings.MAILERS = {
        "folder": {"BACKEND": "eservices.core.mail.FolderEmailBackend", "OPTIONS": {"file_path": str(tmp_path)}}
    }
    send_mail("Premier", "Bonjour", "from@example.org", ["a@example.org"], using="folder")
    send_mail("Tweede", "Dag", "from@example.org", ["b@example.org"], using="folder")
    files = sorted(tmp_path.glob("*.eml"))
    assert len(files) == 2
    assert {message_from_bytes(path.read_bytes())["Subject"] for path in files} == {"Premier", "Tweede"}
    assert not list(tmp_path.glob(".*.part"))
    assert mailers["folder"].file_path == str(tmp_path)
