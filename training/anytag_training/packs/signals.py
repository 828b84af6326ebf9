"""What the starter pack v2's extra rows say, and from which evidence (no weights, no graph).

Each extra row of the embedding matrix is `weight x unit word vector` (like the ImageNet rows),
the weight in [0, 1] computed in-graph (merged_graph.py) from:
- the face detector (MediaPipe full-range BlazeFace): the best face score, the faces counted
  after non-maximum suppression, and the best score of a face at least PORTRAIT_FACE tall;
- the COCO detector (NanoDet): each class's best score over all cells and scales;
- the ImageNet classifier's probabilities (scene classes, and objects that imply a scene).
A detector score s becomes a weight by the ramp clip((s - low) / (high - low), 0, 1): the
ImageNet rows' weights are summed probabilities that reach 1 for a confident class, and a
detector's raw 0.6 would otherwise lose to them. Gender is never a row
(docs/starter-pack-card.md).
"""

from __future__ import annotations

from dataclasses import dataclass

# The 80 COCO classes in NanoDet's output order (COCO category ids without the gaps).
COCO = ("person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat",
        "traffic light", "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat",
        "dog", "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe", "backpack",
        "umbrella", "handbag", "tie", "suitcase", "frisbee", "skis", "snowboard", "sports ball",
        "kite", "baseball bat", "baseball glove", "skateboard", "surfboard", "tennis racket",
        "bottle", "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple",
        "sandwich", "orange", "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair",
        "couch", "potted plant", "bed", "dining table", "toilet", "tv", "laptop", "mouse", "remote",
        "keyboard", "cell phone", "microwave", "oven", "toaster", "sink", "refrigerator", "book",
        "clock", "vase", "scissors", "teddy bear", "hair drier", "toothbrush")
# The word a COCO class's row carries where its name is not a good query word.
COCO_WORD = {"tv": "television", "cell phone": "phone", "potted plant": "houseplant",
             "sports ball": "ball", "hair drier": "hairdryer", "dining table": "table"}


@dataclass(frozen=True)
class Ramp:
    """weight = clip((score - low) / (high - low), 0, 1)."""

    low: float
    high: float


FACE_RAMP = Ramp(0.4, 0.75)  # full-range BlazeFace: 0.79-0.87 on faces, <= 0.41 elsewhere
COCO_RAMP = Ramp(0.3, 0.7)  # NanoDet class scores: 0.5-0.8 on clear objects, 0.3-0.5 false
PERSON_RAMP = Ramp(0.3, 0.6)  # NanoDet person: 0.7-0.86 on people, <= 0.3 on cats
FACE_ALONE = 0.6  # a face the COCO detector sees no person around counts this much (apes, statues)
PEOPLE_SINGLE = 0.55  # "people" for one person; 1 from three people on
FACE_SCORE = 0.5  # a face counts when its score passes this (after NMS, IoU 0.3)
PERSON_PEAK = 0.35  # a person counts where the COCO person map peaks above this
PORTRAIT_FACE = Ramp(0.17, 0.27)  # face box height / image height: 0.27+ is a portrait
PORTRAIT_MOST = 3  # a portrait shows at most this many faces (4 -> half, 5+ -> none)
FACE_SIZE = Ramp(0.1, 0.17)  # a face this tall is a subject of the photo (0.17+: weight 1)
FACE_SMALL = 0.5  # "face" weight of a face too small to be a subject (a crowd's, a distant one)
GROUP_COUNT = Ramp(1.5, 3.0)  # faces or people: 2 -> 0.33, 3+ -> 1
CROWD_COUNT = Ramp(3.0, 8.0)
COCO_TOP = 4  # COCO rows per image: the best-scoring classes (person excluded: its own rows)

# People rows: name -> what its weight is (merged_graph.people_weights computes them).
PEOPLE_ROWS = ("person", "human", "people", "face", "portrait", "group", "crowd")

# What people wear or are (ImageNet classes, first lemma): probability -> person evidence, x 0.8
# (a uniform or a kimono is worn by someone, but the photo may show only the garment).
WORN = ("military uniform", "suit", "jersey", "kimono", "groom", "scuba diver", "ballplayer",
        "lab coat", "academic gown", "mortarboard", "bow tie", "Windsor tie", "sunglasses",
        "sunglass", "wig", "lipstick", "bikini", "swimming trunks", "maillot", "miniskirt",
        "cardigan", "sweatshirt", "trench coat", "fur coat", "abaya", "sarong", "poncho",
        "football helmet", "crash helmet", "cowboy hat", "sombrero", "bonnet", "gown",
        "hoopskirt", "overskirt", "pajama", "stole", "vestment", "cloak", "apron",
        "bulletproof vest", "breastplate", "cuirass", "chain mail", "neck brace", "ski mask",
        "gasmask", "oxygen mask")
WORN_PERSON = 0.8

# Scene rows: scene word -> {ImageNet class (first lemma), "coco:<class>" or "wn:<lemma>": evidence
# weight}.
# Weight = clip(sum of probability (ImageNet) or ramped score (COCO) x evidence weight, 0, 1).
# Only what the classes say about the place: a kite or surfboard suggests a beach, skis snow.
SCENES: dict[str, dict[str, float]] = {
    "beach": {"seashore": 1, "sandbar": 1, "promontory": 0.5, "coco:surfboard": 0.7,
              "coco:kite": 0.4},
    "sea": {"seashore": 1, "promontory": 1, "sandbar": 0.8, "coral reef": 1, "liner": 0.7,
            "speedboat": 0.7, "catamaran": 0.7, "trimaran": 0.7, "schooner": 0.7, "yawl": 0.7,
            "lifeboat": 0.7, "breakwater": 0.8, "wreck": 0.6, "coco:surfboard": 0.7,
            "coco:boat": 0.4},
    "mountain": {"alp": 1, "volcano": 1, "valley": 0.8, "cliff": 0.8, "mountain tent": 0.6,
                 "ski": 0.5},
    "snow": {"alp": 0.8, "ski": 1, "dogsled": 1, "snowmobile": 0.7, "snowplow": 0.7, "bobsled": 1,
             "coco:skis": 1, "coco:snowboard": 1},
    "lake": {"lakeside": 1, "boathouse": 0.8, "canoe": 0.6, "paddle": 0.4, "dam": 0.5},
    "street": {"street sign": 1, "traffic light": 1, "cab": 0.8, "streetcar": 0.8,
               "trolleybus": 0.8, "parking meter": 1, "police van": 0.6, "coco:traffic light": 1,
               "coco:stop sign": 1, "coco:fire hydrant": 0.8, "coco:parking meter": 1,
               "coco:bus": 0.6, "coco:car": 0.4},
    "city": {"police van": 0.8, "cab": 0.8, "streetcar": 0.8, "trolleybus": 0.8, "minibus": 0.5,
             "traffic light": 0.8, "street sign": 0.8, "dock": 0.6, "pier": 0.5,
             "container ship": 0.5, "suspension bridge": 0.6, "steel arch bridge": 0.6,
             "church": 0.4, "mosque": 0.5, "obelisk": 0.5, "triumphal arch": 0.5, "cinema": 0.6,
             "coco:traffic light": 1, "coco:bus": 0.6, "coco:car": 0.4, "coco:truck": 0.4},
    "building": {"palace": 1, "monastery": 1, "castle": 1, "church": 1, "mosque": 1, "library": 0.8,
                 "cinema": 0.8, "boathouse": 0.8, "barn": 1, "bell cote": 0.8, "planetarium": 0.8,
                 "greenhouse": 0.8, "restaurant": 0.6, "triumphal arch": 0.6, "dome": 0.8},
    "sky": {"airliner": 0.8, "airship": 1, "balloon": 0.6, "parachute": 1, "coco:kite": 0.8,
            "coco:airplane": 0.6},
    "field": {"hay": 1, "rapeseed": 1, "harvester": 0.8, "thresher": 0.8, "plow": 0.8,
              "worm fence": 0.6, "coco:cow": 0.5, "coco:sheep": 0.6, "coco:horse": 0.4},
    "water": {"seashore": 1, "lakeside": 1, "sandbar": 1, "coral reef": 1, "breakwater": 1,
              "speedboat": 1, "fireboat": 1, "lifeboat": 1, "gondola": 1, "dam": 1,
              "promontory": 0.5, "boathouse": 0.8, "dock": 0.8, "pier": 0.8, "canoe": 0.8,
              "liner": 0.8, "wreck": 0.8, "fountain": 0.8, "geyser": 0.8, "paddle": 0.6,
              "coco:boat": 0.6, "coco:surfboard": 0.7},
    # What the classes are (WordNet): "wn:<lemma>" = every class under its first noun sense.
    "landscape": {"wn:geological_formation": 1},  # alp, cliff, lakeside, seashore, valley...
}

# "Photo look" rows, from the pixels of the 224 x 224 input (look_graph.py). Defined before they
# were measured, then revised once after a look at the benchmark's photos: night gained "cool"
# and "smooth top" (dark lamplit rooms, dark forests), sunset lost "low luma" (sunsets here are
# mid-bright) and gained the landscape factor (warm close-ups: flowers, fruit); sky (blue) was
# added then (docs/starter-pack-card.md). With R, G, B in 0..1: luma Y = 0.299 R + 0.587 G +
# 0.114 B, chroma C = max(R, G, B) - min(R, G, B), warmth W = R - B; "share" = the fraction of
# pixels.
COLOURFUL = 0.1  # a pixel with chroma above this has a colour
MONOCHROME = Ramp(0.02, 0.1)  # monochrome = 1 - ramp(share of colourful pixels)
LOW_LIGHT = Ramp(0.2, 0.35)  # low light = 1 - ramp(mean luma)
COOL = Ramp(0.0, 0.1)  # cool = 1 - ramp(mean warmth): daylight/moonlight, not lamplight
# night = low light x cool x smooth top third (1 - ramp(its local contrast, HAZE_CONTRAST)): a dark
# sky; a dark photo lit by lamps is more often indoors, a dark textured top a forest or a room
GLOW_WARMTH, GLOW_LUMA = 0.15, 0.4  # a glowing pixel: warmth above, luma above
GLOW = Ramp(0.2, 0.5)  # sunset = ramp(share of glowing pixels in the top half) x landscape
HAZE_CONTRAST = Ramp(0.01, 0.03)  # local contrast: mean |Y4 - 3x3 mean of Y4|, Y4 = 4x4-pooled luma
HAZE_LUMA = Ramp(0.35, 0.55)  # haze = (1 - ramp(contrast)) x ramp(mean luma) x (1 - ramp(mean C))
HAZE_CHROMA = Ramp(0.1, 0.2)
SKY_BLUE = 0.1, 0.3  # a sky-blue pixel: B - R above the first, B >= G, luma above the second
BLUE_SKY = Ramp(0.1, 0.4)  # sky = ramp(share of sky-blue pixels in the top third)
# The look rows' labels, in the order of look_graph.look_weights' columns.
LOOK_ROWS = ("black and white", "night", "sunset", "fog", "sky")
# A look row's largest weight where not 1: a blue sky is the setting of most photos that show one
# and must not outweigh their subject (GloVe's "sky" is 0.58 with "moon", 0.42 with "flag").
# Tried for the water scene row too (its phrase labels "water bottle", "water jug"... at 0.8 tag
# the shore photos): water 0.63 -> 0.34, so it was left at 1; SCENE_APART does it instead.
LOOK_CEILING = {"sky": 0.6}
# Scene rows kept apart from the seen labels that start with their word: GloVe's "water" is
# 0.79-0.86 with "water bottle", "water snake", "water tower", "water jug", "water buffalo", so a
# lake photo's water row tagged them all. The row (and the "water" label) carries the unit vector
# nearest the word's whose cosine with each such label is at most this (keep_apart): 0.84 with
# "water" itself at 0.55 (starter_signals.row_vectors).
SCENE_APART = {"water": 0.55}
# The words whose mean GloVe vector a look or scene row (and its label) carries, where not its own
# name (GloVe's "landscape" is 0.51 with "portrait": the page orientations):
# GloVe's "black and white" is about colours and race (0.7+ with "flag", "woman"), its "night"
# about evenings out (0.6 with "crowd", "fans"); "monochrome" and "darkness" say the look.
LOOK_WORDS = {"black and white": ("monochrome",), "night": ("night", "darkness"),
              "fog": ("fog", "mist"), "landscape": ("scenery",)}
