"""A second, independent LSP client for `copydesk lsp`: pytest-lsp.

The server binary comes from COPYDESK_BIN (set by the Rust test that runs
this suite), else target/debug/copydesk.
"""

import os
import pathlib
import shutil
import tempfile

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("COPYDESK_BIN", str(ROOT / "target" / "debug" / "copydesk"))

SOURCES = {
    "ministry.md": "---\nkey: mps\ntitle: Ministry statement\n---\n"
    "In Anhui, police detained 43 suspects and freed 11 babies.\n\n"
    "Police from 27 provinces rescued 382 babies after a tip-off.\n",
    "wire.txt": "Officers rescued 382 infants in 27 cities after a tip-off, the wire said.\n",
    "report.txt": "The authorities rescued 382 infants in 27 cities, the statement said.\n",
}

# Multibyte text before the figure: UTF-8 and UTF-16 columns differ.
DRAFT = (
    "北京 🎉 e\u0301: In Anhui, police detained 34 suspects and freed 11 babies.\n\n"
    "Officers rescued 382 infants in 27 cities after a tip-off [@\n"
)


def make_workspace() -> pathlib.Path:
    ws = pathlib.Path(tempfile.mkdtemp(prefix="copydesk-pytest-"))
    (ws / "sources").mkdir()
    for name, text in SOURCES.items():
        (ws / "sources" / name).write_text(text, encoding="utf-8")
    (ws / "copydesk.toml").write_text('[corpus]\npaths = ["sources"]\n', encoding="utf-8")
    (ws / "draft.md").write_text(DRAFT, encoding="utf-8")
    return ws


async def start(lsp_client: LanguageClient, preset: str):
    ws = make_workspace()
    params = types.InitializeParams(
        capabilities=client_capabilities(preset),
        root_uri=ws.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=ws.as_uri(), name="ws")],
    )
    result = await lsp_client.initialize_session(params)
    return ws, result


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[BIN, "lsp"]), params=["neovim", "visual-studio-code"])
async def client(request, lsp_client: LanguageClient):
    preset = "neovim@v0.11" if request.param == "neovim" else "visual-studio-code"

    # VS Code answers the server's request to watch files; so does this client.
    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams):
        lsp_client.registrations = params.registrations
        return None

    ws, result = await start(lsp_client, preset)
    lsp_client.workspace = ws
    lsp_client.init_result = result
    yield
    await lsp_client.shutdown_session()
    shutil.rmtree(ws, ignore_errors=True)
