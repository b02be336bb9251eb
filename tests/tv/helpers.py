import json

from masthead.tv import roku

VTT = b"WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nHello from the newsroom.\n"


def load_schema():
    return json.loads(roku.SCHEMA_PATH.read_text())
