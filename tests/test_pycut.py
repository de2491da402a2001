"""A cut-off Python traceback read for what it still says (errdiag.pycut): the type IPython's header names, the
exception handled above a cut-off chain, the last frame shown and whose code it is."""

from __future__ import annotations

from pathlib import Path

from errdiag import anatomy, diagnose, families
from errdiag.anatomy import Frame
from errdiag.kb import load_knowledge
from errdiag.pycut import cut_facts

KB = load_knowledge(env={}, cwd=Path("/"), config_dir=None, entry_points=False)

TYPED_NET = """---------------------------------------------------------------------------
ConnectionError                           Traceback (most recent call last)
Cell In[4], line 2
      1 import requests
----> 2 r = requests.get("https://api.example.org/v1/items")

File ~/venv/lib/python3.11/site-packages/requests/adapters.py:519, in HTTPAdapter.send(self, request, **kwargs)
    517     raise SSLError(e, request=request)
--> 519 raise ConnectionError(e, request=request)
"""

TYPED_IN_PACKAGE = """---------------------------------------------------------------------------
TypeError                                 Traceback (most recent call last)
Cell In[9], line 3
      1 from vecstore import Index
----> 3 idx = Index.from_documents(docs)

File ~/miniconda3/envs/rag/lib/python3.10/site-packages/vecstore/index.py:142, in Index.from_documents(cls, docs)
    140     batches = cls._split(docs)
--> 142     return cls(batches, **cls._defaults())
"""

CHAIN_CUT = """Traceback (most recent call last):
  File "/srv/app/venv/lib/python3.11/site-packages/acme_sdk/client.py", line 210, in _parse
    payload = body["data"]
              ~~~~^^^^^^^^
TypeError: string indices must be integers, not 'str'

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/srv/app/sync.py", line 14, in <module>
    items = client.list_items()
  File "/srv/app/venv/lib/python3.11/site-packages/acme_sdk/client.py", line 96, in list_items
    return self._request("GET", "/items")
"""

# a cache lookup's KeyError is handled on purpose: the cut-off exception raised while handling it is the failure
CHAIN_AFTER_LOOKUP = """Traceback (most recent call last):
  File "/srv/app/venv/lib/python3.11/site-packages/lazyprop/core.py", line 30, in __get__
    return obj.__dict__[self.name]
KeyError: 'settings'

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/srv/app/main.py", line 5, in <module>
    app.run()
  File "/srv/app/app.py", line 40, in run
    cfg = self.settings
"""

PLAIN_CUT = """Traceback (most recent call last):
  File "/home/kit/run.py", line 88, in <module>
    main()
  File "/home/kit/run.py", line 80, in main
    train(cfg)
"""


def _top(text: str):
    return diagnose(text, KB).best


def test_the_type_a_header_names_is_read_with_the_last_frame_and_its_package():
    d = _top(TYPED_IN_PACKAGE)
    assert d.id == "python.traceback_cut_typed" and not d.generic
    assert d.captures["exc_type"] == "TypeError"
    assert "vecstore/index.py:142" in d.captures["stops_at"]
    assert d.captures["stops_pkg"] == "vecstore"
    assert "vecstore" in d.entry.quick_fixes[0].title and "pip show vecstore" in (d.entry.quick_fixes[0].note or "")
    assert d.confidence <= families.UNPLACED_CAP  # the message is not in the text: never a confident answer


def test_an_oserror_family_type_in_network_code_reads_as_a_failed_connection():
    d = _top(TYPED_NET)
    assert d.id == "python.traceback_cut_typed"
    assert "network connection failed" in d.captures["type_means"]
    assert "reachable" in d.entry.quick_fixes[0].title


def test_a_cut_chain_leads_with_the_exception_printed_whole_above_it():
    d = _top(CHAIN_CUT)
    assert d.id == "python.traceback_cut_after_handled" and not d.generic
    assert d.captures["cause"] == "TypeError: string indices must be integers, not 'str'"
    assert "acme_sdk/client.py:210 in _parse()" in d.captures["cause_frame"]


def test_a_handled_lookup_is_no_cause_and_a_plain_cut_keeps_its_answer():
    for text in (CHAIN_AFTER_LOOKUP, PLAIN_CUT):
        d = _top(text)
        assert d.id == "python.truncated_traceback" and d.generic
        assert "reason" not in d.captures and "stops_at" not in d.captures  # its answer (and its grades) unchanged
    assert all(d.id != "python.traceback_cut_after_handled" for d in diagnose(CHAIN_AFTER_LOOKUP, KB).diagnoses)


def test_a_complete_ipython_traceback_is_no_cut_one():
    text = TYPED_IN_PACKAGE + "\nTypeError: Index.__init__() got an unexpected keyword argument 'dim'\n"
    ids = [d.id for d in diagnose(text, KB).diagnoses]
    assert "python.traceback_cut_typed" not in ids and "python.truncated_traceback" not in ids


def test_cut_facts_without_a_type_only_place_the_last_frame():
    frames = [Frame("/usr/lib/python3.12/asyncio/runners.py", 118, "run", None, False)]
    got = cut_facts(None, frames, "Python's standard library")
    assert got == {"stops_at": "/usr/lib/python3.12/asyncio/runners.py:118 in run()",
                   "stops_owner": "Python's standard library"}
    assert cut_facts("ValueError", []) == {}


def test_ipython_frames_of_relative_paths_and_pyc_files_are_read():
    text = """---------------------------------------------------------------------------
ValueError                                Traceback (most recent call last)
<ipython-input-3-abc> in <module>()
----> 1 plot(x)

/opt/conda/lib/python2.7/site-packages/matplotlib/pyplot.pyc in savefig(*args, **kwargs)
    560     fig = gcf()
--> 561     return fig.savefig(*args, **kwargs)

File venvs\\lab\\Lib\\site-packages\\plotkit\\core.py:77, in render(self)
---> 77 self._draw()
"""
    f = [f for f in anatomy.read(text) if f.kind == "truncated"][0]
    assert [fr.file for fr in f.frames][:2] == ["venvs\\lab\\Lib\\site-packages\\plotkit\\core.py",
                                                "/opt/conda/lib/python2.7/site-packages/matplotlib/pyplot.pyc"]


RAISE_SHOWN = """---------------------------------------------------------------------------
ValueError                                Traceback (most recent call last)
Cell In[40], line 1
----> 1 model.save("tfmodel")

File /opt/conda/lib/python3.11/site-packages/keras/src/saving/saving_api.py:114, in save_model(model, filepath)
    110 if str(filepath).endswith((".h5", ".hdf5")):
    111     return legacy_h5_format.save_model_to_hdf5(model, filepath)
--> 114 raise ValueError(
    115     "Invalid filepath extension for saving. "
    116     "Please add either a `.keras` extension."
"""

# the arrow is on a call: the raise below it is only context, the exception came from deeper (cut off)
RAISE_BELOW_ARROW = """---------------------------------------------------------------------------
ValueError                                Traceback (most recent call last)
<ipython-input-2-abc> in <module>()
----> 2 layer = TFAutoModel.from_pretrained(MODEL, from_pt=True)

/usr/local/lib/python3.6/dist-packages/transformers/modeling_tf_auto.py in from_pretrained(cls, name, **kwargs)
    421         for config_class, model_class in MAPPING.items():
--> 423                 return model_class.from_pretrained(name, config=config, **kwargs)
    424         raise ValueError(
    425             "Unrecognized configuration class {} for this kind of TFAutoModel: {}.\\n"
"""


def test_the_message_of_a_raise_on_the_last_frames_own_line_is_read():
    d = _top(RAISE_SHOWN)
    assert d.captures["raised_with"] == "Invalid filepath extension for saving. Please add either a `.keras` extension."
    assert "Invalid filepath extension" in d.entry.summary and "Invalid filepath" in d.entry.quick_fixes[0].title
    assert "raised_with" not in _top(RAISE_BELOW_ARROW).captures


def test_an_sdk_class_named_after_a_status_reads_as_that_status():
    text = TYPED_IN_PACKAGE.replace("TypeError       ", "NotFoundError   ")
    assert "404" in _top(text).captures["type_means"]


def test_a_rich_box_followed_by_a_bare_exception_line_is_no_cut_traceback():
    text = """│    75 │   │   if self.model is None:                                     │
│ ❱  76 │   │   │   raise Exception("Failed to load model with all dtypes.")   │
│    77 │   │                                                              │
╰──────────────────────────────────────────────────────────────────────────╯
Exception: Failed to load model with all dtypes.
"""
    got = [(f.kind, f.type, f.message) for f in anatomy.read(text)]
    assert got == [("exception", "Exception", "Failed to load model with all dtypes.")]
    assert all(d.id != "python.truncated_traceback" for d in diagnose(text, KB).diagnoses)
