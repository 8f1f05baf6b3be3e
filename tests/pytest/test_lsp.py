"""copydesk lsp through pytest-lsp, as Neovim 0.11 and as VS Code."""

from lsprotocol import types
from pytest_lsp import LanguageClient

from conftest import DRAFT


def units(text: str, encoding: str) -> int:
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8"))
    return len(text.encode("utf-16-le")) // 2


async def open_draft(client: LanguageClient) -> str:
    uri = (client.workspace / "draft.md").as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=DRAFT)
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return uri


async def test_encoding_is_negotiated_and_diagnostics_land_on_the_figure(client: LanguageClient):
    encoding = client.init_result.capabilities.position_encoding
    offered = client.init_result  # the preset decides
    assert encoding in (types.PositionEncodingKind.Utf8, types.PositionEncodingKind.Utf16), offered
    uri = await open_draft(client)
    diagnostics = client.diagnostics[uri]
    mismatch = next(d for d in diagnostics if d.code == "figure-mismatch")
    line0 = DRAFT.splitlines()[0]
    start = line0.index("34 suspects")
    assert mismatch.range.start == types.Position(line=0, character=units(line0[:start], encoding))
    assert mismatch.range.end == types.Position(line=0, character=units(line0[: start + len("34 suspects")], encoding))
    assert mismatch.source == "copydesk"
    assert "43 suspects" in mismatch.message
    assert mismatch.related_information and mismatch.related_information[0].location.uri.endswith("ministry.md")
    contested = next(d for d in diagnostics if d.code == "sources-disagree")
    assert contested.severity == types.DiagnosticSeverity.Warning


async def test_hover_shows_the_source_passage(client: LanguageClient):
    encoding = client.init_result.capabilities.position_encoding
    uri = await open_draft(client)
    line0 = DRAFT.splitlines()[0]
    col = units(line0[: line0.index("34 suspects") + 1], encoding)
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=0, character=col))
    )
    assert hover is not None
    assert "**43 suspects**" in hover.contents.value
    assert "Ministry statement" in hover.contents.value


async def test_citation_completion_puts_the_backing_source_first(client: LanguageClient):
    encoding = client.init_result.capabilities.position_encoding
    uri = await open_draft(client)
    line2 = DRAFT.splitlines()[2]
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=2, character=units(line2, encoding)),
        )
    )
    items = result if isinstance(result, list) else result.items
    assert {i.label for i in items} == {"mps", "wire", "report"}
    best = sorted(items, key=lambda i: i.sort_text)[0]
    assert best.label in ("wire", "report"), best


async def test_quick_fix_puts_in_the_source_figure(client: LanguageClient):
    uri = await open_draft(client)
    mismatch = next(d for d in client.diagnostics[uri] if d.code == "figure-mismatch")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=mismatch.range,
            context=types.CodeActionContext(diagnostics=[mismatch]),
        )
    )
    replace = next(a for a in actions if a.title.startswith("Replace with"))
    edit = replace.edit.changes[uri][0]
    assert edit.new_text == "43 suspects"
    assert edit.range == mismatch.range


async def test_the_server_asks_to_watch_corpus_files_when_the_client_can(client: LanguageClient):
    await open_draft(client)
    if client.init_result.capabilities.position_encoding == types.PositionEncodingKind.Utf16:
        # The VS Code preset registers file watchers dynamically.
        globs = [w["globPattern"] for r in client.registrations for w in r.register_options["watchers"]]
        assert "**/*.md" in globs and "**/*.toml" in globs


async def test_conflicts_request(client: LanguageClient):
    uri = await open_draft(client)
    result = await client.protocol.send_request_async("copydesk/conflicts", {"textDocument": {"uri": uri}})
    conflicts = result.conflicts if hasattr(result, "conflicts") else result["conflicts"]
    assert len(conflicts) == 1
    texts = [v.text if hasattr(v, "text") else v["text"] for v in (conflicts[0].versions if hasattr(conflicts[0], "versions") else conflicts[0]["versions"])]
    assert texts == ["27 cities", "27 provinces"]
