"""The starter pack end to end: build (or reuse a current resources/packs/starter), validate
its files against pack.json, and check its behaviour on the shared reference photos."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest

from anytag_training.packs.class_synsets import match_classes, read_class_lines
from anytag_training.packs.pack_writer import InputSpec
from anytag_training.packs.photos import load_batch, sdl_scores
from anytag_training.packs.sources import REPO_ROOT, builder_fingerprint, default_sources
from anytag_training.packs.signals import COCO_TOP, LOOK_ROWS, PEOPLE_ROWS, SCENE_APART, SCENES
from anytag_training.packs.starter import K, K_V2, Detectors, build_starter
from anytag_training.packs.starter_signals import wordnet_classes
from anytag_training.packs.word_table import read_word_table
from anytag_training.packs.wordnet import load_wordnet

SOURCES = default_sources()
BUILT = REPO_ROOT / "resources" / "packs" / "starter"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files_match(pack: Path) -> bool:
    manifest = json.loads((pack / "pack.json").read_text())
    pairs = [(manifest["model"]["file"], manifest["model"]["sha256"]),
             (manifest["labels"]["vectors"], manifest["labels"]["sha256"]),
             (manifest["wordTable"]["file"], manifest["wordTable"]["sha256"])]
    return all((pack / f).exists() and sha(pack / f) == h for f, h in pairs)


def is_current(pack: Path) -> bool:
    """A pack built by scripts/build-packs.mjs from this very builder code, files intact."""
    info = pack / "build-info.json"
    if not (pack / "pack.json").exists() or not info.exists():
        return False
    return json.loads(info.read_text()).get("builder") == builder_fingerprint() and files_match(pack)


@pytest.fixture(scope="session")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if is_current(BUILT):
        return BUILT
    if SOURCES.missing():
        pytest.skip(f"starter sources missing: {SOURCES.missing()}")
    out = tmp_path_factory.mktemp("starter")
    build_starter(SOURCES.mobilenet, SOURCES.wink, SOURCES.wordnet, out, SOURCES.photos,
                  detectors=Detectors(SOURCES.face, SOURCES.nanodet))
    return out


@pytest.fixture(scope="session")
def manifest(pack: Path) -> dict:
    return json.loads((pack / "pack.json").read_text())


@pytest.fixture(scope="session")
def embeddings(pack: Path, manifest: dict) -> tuple[list[str], np.ndarray]:
    spec = InputSpec(**{k: v for k, v in manifest["input"].items() if k != "layout"})
    photos = sorted(SOURCES.photos.glob("*.jpg"))
    session = ort.InferenceSession(str(pack / "model.onnx"), providers=["CPUExecutionProvider"])
    (out,) = session.run([manifest["output"]["name"]], {spec.name: load_batch(photos, spec)})
    return [p.stem for p in photos], out  # [n, K, d]


@pytest.fixture(scope="session")
def words(pack: Path) -> dict[str, np.ndarray]:
    table, vectors = read_word_table(pack / "words.awt")
    wanted = {"bird", "cat", "food", "insect", "person", "face", "beach", "kite"}
    return {w: vectors[i].astype(np.float32) for i, w in enumerate(table) if w in wanted}


def ranking(embeddings: tuple[list[str], np.ndarray], vector: np.ndarray) -> list[str]:
    stems, matrices = embeddings
    return [stems[i] for i in np.argsort(-sdl_scores(matrices, vector / np.linalg.norm(vector)))]


def test_manifest_and_files_agree(pack: Path, manifest: dict) -> None:
    assert manifest["id"] == "starter-mobilenetv2-glove100"
    # The photo-look rows come last; the app zeroes them for a damaged decode.
    assert manifest["output"] == {"name": "embedding", "k": K_V2, "d": 100, "order": "kd",
                                  "pixelRows": list(range(K_V2 - len(LOOK_ROWS), K_V2))}
    assert manifest["input"]["width"] == manifest["input"]["height"] == 224
    assert files_match(pack)
    labels = json.loads((pack / "labels.json").read_text())["labels"]
    vectors = np.fromfile(pack / "labels.f32", dtype="<f4").reshape(len(labels), 100)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    names = [label["name"] for label in labels]
    assert len(set(names)) == len(names) > 1500
    assert {"bird", "parrot", "macaw", "crane", "dog", "food"} <= set(names)
    assert {"person", "face", "portrait", "group", "crowd", "beach", "giraffe"} <= set(names)
    depth = {label["name"]: label["specificity"] for label in labels}
    assert depth["macaw"] > depth["parrot"] > depth["bird"] > depth["animal"]
    # Each label lists the labels it implies: its WordNet hypernyms that are labels.
    broader = {label["name"]: set(label["broader"]) for label in labels}
    assert {"parrot", "bird", "vertebrate", "chordate", "animal"} <= broader["macaw"]
    assert {"food", "sandwich"} <= broader["hotdog"] and "dog" not in broader["hotdog"]
    assert all(name not in broader[name] for name in broader)
    # The v2 rows' words are labels with no WordNet hypernyms, never a second spelling of one.
    assert broader["giraffe"] == set() and broader["face"] == set()
    compact = [name.replace(" ", "").replace("-", "") for name in names]
    assert len(set(compact)) == len(compact) and "hot dog" not in names


def test_water_label_is_kept_apart_from_water_bottle_and_co(pack: Path) -> None:
    labels = [label["name"] for label in json.loads((pack / "labels.json").read_text())["labels"]]
    vectors = np.fromfile(pack / "labels.f32", dtype="<f4").reshape(len(labels), 100)
    water = vectors[labels.index("water")]
    table, words = read_word_table(pack / "words.awt")
    glove = words[table.index("water")].astype(np.float32)
    assert float(water @ glove) / np.linalg.norm(glove) > 0.8  # still the word "water"
    for compound in ("water bottle", "water buffalo", "water snake", "water tower", "water jug"):
        assert float(water @ vectors[labels.index(compound)]) <= SCENE_APART["water"] + 1e-3


def test_model_has_a_dynamic_batch(pack: Path) -> None:
    session = ort.InferenceSession(str(pack / "model.onnx"), providers=["CPUExecutionProvider"])
    assert [o.name for o in session.get_outputs()] == ["embedding"]
    for n in (1, 2):
        (out,) = session.run(None, {"image": np.full((n, 3, 224, 224), 128, np.float32)})
        assert out.shape == (n, K_V2, 100)


def test_bird_scores_birds_above_hot_dog_and_cat(embeddings, words) -> None:
    order = ranking(embeddings, words["bird"])
    for bird in ("parrot", "bird", "owl"):
        for other in ("hot_dog", "cat"):
            assert order.index(bird) < order.index(other), order


def test_cat_food_insect_rank_the_right_photo_first(embeddings, words) -> None:
    assert set(ranking(embeddings, words["cat"])[:2]) == {"cat", "cat_720p"}
    assert ranking(embeddings, words["food"])[0] == "hot_dog"
    assert ranking(embeddings, words["insect"])[0] == "dragonfly"


def test_parrot_heaviest_rows(pack: Path, embeddings) -> None:
    stems, matrices = embeddings
    parrot = matrices[stems.index("parrot")][:K]  # [K, d]: the ImageNet rows
    weights = np.linalg.norm(parrot, axis=1)
    assert np.all(np.diff(weights) <= 1e-6)  # heaviest first
    labels = json.loads((pack / "labels.json").read_text())["labels"]
    vectors = np.fromfile(pack / "labels.f32", dtype="<f4").reshape(len(labels), 100)
    rows = np.argmax((parrot / weights[:, None]) @ vectors.T, axis=1)  # [K]
    heaviest = [labels[r]["name"] for r in rows[:6]]
    assert {"animal", "vertebrate", "bird", "parrot", "macaw"} <= set(heaviest), heaviest


def test_people_rank_first_for_person_and_face(embeddings, words) -> None:
    for query in ("person", "face"):
        assert set(ranking(embeddings, words[query])[:2]) == {"face", "grace_hopper"}, query


def test_scene_and_coco_rows_find_the_kite_beach(embeddings, words) -> None:
    assert ranking(embeddings, words["beach"])[0] == "kite_and_cold"
    assert ranking(embeddings, words["kite"])[0] == "kite_and_cold"


def test_extra_rows_are_empty_without_evidence(embeddings) -> None:
    stems, matrices = embeddings
    people = np.linalg.norm(matrices[:, K:K + len(PEOPLE_ROWS)], axis=2)  # [n, P] row weights
    for stem in ("owl", "hot_dog", "cat", "dragonfly"):
        assert people[stems.index(stem)].max() < 0.05, (stem, people[stems.index(stem)])
    group = PEOPLE_ROWS.index("group")
    assert people[stems.index("face")][group] > 0.5  # four people, three faces or more
    assert people[stems.index("grace_hopper")][group] < 0.05  # one person


def test_face_and_portrait_rows_follow_the_face_size(embeddings) -> None:
    stems, matrices = embeddings
    people = np.linalg.norm(matrices[:, K:K + len(PEOPLE_ROWS)], axis=2)  # [n, P] row weights
    face, portrait = PEOPLE_ROWS.index("face"), PEOPLE_ROWS.index("portrait")
    single, group = people[stems.index("grace_hopper")], people[stems.index("face")]
    assert single[face] > 0.9 and group[face] > 0.9  # faces a sixth of the frame or more
    # One face a third of the frame tall is a portrait; three faces of a group half one.
    assert single[portrait] > 0.9 and 0.2 < group[portrait] < 0.8, (single, group)
    # The kite beach's people are far away: person evidence, no face row.
    assert people[stems.index("kite_and_cold")][face] < 0.05


def test_look_rows_are_empty_on_colour_daylight_photos(embeddings) -> None:
    stems, matrices = embeddings
    look = np.linalg.norm(matrices[:, K_V2 - len(LOOK_ROWS):], axis=2)  # [n, L] row weights
    for stem in ("bird", "cat", "dragonfly", "face", "owl", "parrot", "pets"):
        assert look[stems.index(stem)].max() < 0.01, (stem, look[stems.index(stem)])
    landscape = K_V2 - len(LOOK_ROWS) - COCO_TOP - len(SCENES) + list(SCENES).index("landscape")
    weights = np.linalg.norm(matrices[:, landscape], axis=1)  # [n]
    assert weights[stems.index("kite_and_cold")] > 0.5 and weights[stems.index("parrot")] < 0.05


def test_wordnet_classes_are_the_classes_under_a_lemma() -> None:
    if not SOURCES.wordnet.exists():
        pytest.skip(f"{SOURCES.wordnet} missing")
    wordnet = load_wordnet(SOURCES.wordnet)
    lines = read_class_lines(SOURCES.mobilenet / "imagenet_labels.txt")
    found = wordnet_classes(wordnet, match_classes(wordnet, lines))
    names = {lines[c].split(",")[0] for c in found["wn:geological_formation"]}
    assert {"alp", "seashore", "lakeside", "valley", "volcano"} <= names
    assert not names & {"hotdog", "parrot", "boathouse"}
