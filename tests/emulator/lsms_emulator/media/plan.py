"""A MediaLive channel's stored settings, read strictly into an encoding plan.

`channel_plan` walks the channel (EncoderSettings, destinations, input
attachment) in its wire form (the camelCase names of the API, so an error
names the element as MediaLive's own validation errors do:
/encoderSettings/videoDescriptions/0/codecSettings/h264Settings/profile).
Every member present is either followed (it changes what ffmpeg is asked to
do), known to have no effect on what this emulator produces (a value listed
in TOLERATED with the reason; e.g. AFD signalling NONE), or refused with
`Unfollowable`: the pipeline then fails with that reason (README,
"MediaLive media plane"). Nothing is ignored silently.
"""

import re
from dataclasses import dataclass, field


class Unfollowable(Exception):
    """A setting the media plane cannot reproduce: `path` names it."""

    def __init__(self, path, value, why):
        super().__init__(f"{path} = {value!r}: {why}")
        self.path = path
        self.value = value
        self.why = why


# Values accepted without changing the output, with the reason (the README
# lists the same). Keys are member names; the value is the set of accepted
# values, or None for "any value".
TOLERATED = {
    # H.264
    "afdSignaling": ({"NONE"}, "no AFD is carried: the sources have none"),
    "colorMetadata": ({"INSERT", "IGNORE"}, "the sources carry no colour metadata to insert"),
    "flickerAq": ({"ENABLED", "DISABLED"}, "x264 has no flicker AQ (approximation)"),
    "gopBReference": ({"ENABLED", "DISABLED"}, "only with B-frames; followed when gopNumBFrames > 0"),
    "subgopLength": ({"DYNAMIC", "FIXED"}, "only with B-frames; followed when gopNumBFrames > 0"),
    "syntax": ({"DEFAULT"}, "DEFAULT is x264's syntax"),
    "timecodeInsertion": ({"DISABLED"}, "no timecode SEI"),
    "forceFieldPictures": ({"DISABLED"}, "progressive output"),
    # video description
    "respondToAfd": ({"NONE"}, "no AFD in the sources"),
    # audio
    "audioTypeControl": ({"FOLLOW_INPUT", "USE_CONFIGURED"}, "ISO 639 audio type metadata only"),
    "languageCodeControl": ({"FOLLOW_INPUT", "USE_CONFIGURED"}, "language metadata only"),
    "inputType": ({"NORMAL"}, "a normal program mix"),
    "rawFormat": ({"NONE"}, "ADTS framing in transport streams"),
    "spec": ({"MPEG4"}, "ffmpeg writes MPEG-4 AAC"),
    # HLS group
    "adMarkers": (None, "no SCTE-35 reaches the sources, so no ad markers are written"),
    "captionLanguageSetting": ({"OMIT", "NONE", "INSERT"}, "no captions"),
    "captionLanguageMappings": (None, "no captions"),
    "manifestCompression": ({"NONE"}, "manifests are plain text"),
    "ivInManifest": ({"INCLUDE", "EXCLUDE"}, "only with encryption, which is not set"),
    "ivSource": ({"FOLLOWS_SEGMENT_NUMBER", "EXPLICIT"}, "only with encryption, which is not set"),
    "tsFileMode": ({"SEGMENTED_FILES"}, "one file per segment"),
    "segmentationMode": ({"USE_SEGMENT_DURATION"}, "segments cut every segmentLength"),
    "redundantManifest": ({"DISABLED"}, "one manifest per pipeline"),
    "iFrameOnlyPlaylists": ({"DISABLED"}, "no I-frame playlists"),
    "programDateTimePeriod": (None, "ffmpeg writes the tag on every segment when programDateTime is INCLUDE"),
    "programDateTimeClock": (None, "ffmpeg's clock is the system clock"),
    "timedMetadataId3Frame": ({"NONE", "PRIV", "TDRL"},
                              "approximation: no ID3 timecode frames are inserted into segments"),
    "timedMetadataId3Period": (None, "approximation: no ID3 timecode frames are inserted"),
    "hlsId3SegmentTagging": ({"DISABLED"}, "no ID3 segment tags"),
    "codecSpecification": ({"RFC_4281", "RFC_6381"}, "ffmpeg writes avc1.PPCCLL and mp4a.40.N, valid for both"),
    "segmentsPerSubdirectory": (None, "only with SUBDIRECTORY_PER_STREAM"),
    "directoryStructure": ({"SINGLE_DIRECTORY"}, "every file beside the manifest"),
    "mode": ({"LIVE"}, "a live sliding window"),
    "minSegmentLength": ({0}, "no minimum"),
    "incompleteSegmentBehavior": ({"AUTO", "SUPPRESS"}, "a stopped pipeline's last segment is not uploaded"),
    "discontinuityTags": ({"INSERT"}, "ffmpeg marks discontinuities"),
    # HLS output
    "h265PackagingType": ({"HVC1", "HEV1"}, "only for H.265"),
    "audioRenditionSets": (None, "only for audio-only outputs"),
    # m3u8 (transport stream)
    "audioFramesPerPes": (None, "approximation: ffmpeg's mpegts muxer packs its own PES"),
    "nielsenId3Behavior": ({"NO_PASSTHROUGH"}, "no Nielsen ID3"),
    "pcrControl": ({"PCR_EVERY_PES_PACKET", "CONFIGURED_PCR_PERIOD"},
                   "approximation: ffmpeg's mpegts PCR cadence"),
    "scte35Pid": (None, "no SCTE-35 in the sources"),
    "scte35Behavior": ({"PASSTHROUGH", "NO_PASSTHROUGH"}, "no SCTE-35 in the sources"),
    "timedMetadataPid": (None, "no timed metadata"),
    "timedMetadataBehavior": ({"NO_PASSTHROUGH"}, "no timed metadata"),
    # encoder settings
    "timecodeConfig": (None, "no timecode is written (timecodeInsertion DISABLED)"),
    "captionDescriptions": ([], "no captions"),
    # channel
    "inputSpecification": (None, "billing tier only"),
}


@dataclass
class Rendition:
    name_modifier: str
    video_name: str
    width: int
    height: int
    fps: tuple  # (numerator, denominator) or None to keep the source's
    profile: str  # x264 profile
    level: str  # x264 level or None (AUTO)
    rate_control: str  # QVBR | CBR | VBR
    bitrate: int
    max_bitrate: int
    buf_size: int
    buf_fill_pct: int
    qvbr_level: int
    gop_frames: int
    closed_gop: bool
    scene_cut: bool
    b_frames: int
    b_pyramid: bool
    b_adapt: bool
    refs: int
    cabac: bool
    aq_mode: int
    aq_strength: float
    lookahead: int
    mbtree: bool
    sharpness: int
    stretch: bool
    sar: tuple  # (num, den) or None (from the source)
    audio: dict  # bitrate, sample_rate, channels, profile; None: video only
    segment_modifier: str  # strftime template (may hold %H%M%S)
    pids: dict = field(default_factory=dict)

    @property
    def fps_value(self):
        return self.fps[0] / self.fps[1] if self.fps else None


@dataclass
class Plan:
    channel_id: str
    renditions: list
    segment_length: int
    index_n_segments: int
    keep_segments: int
    program_date_time: bool
    integer_durations: bool
    client_cache: bool
    stream_inf_resolution: bool
    output_selection: str
    input_loss_action: str
    destinations: list  # one per pipeline: dict(kind, bucket|endpoint, prefix, base)
    store_settings: dict  # cannedAcl / numRetries / connectionRetryInterval / restartDelay
    source_end_behavior: str
    input_id: str


def _pop(d, key, path, required=True, default=None):
    if key in d:
        return d.pop(key)
    if required:
        raise Unfollowable(f"{path}/{key}", None, "required by the media plane and missing")
    return default


def _leftovers(d, path):
    """Every member still in `d` must be tolerated with its value."""
    for key, value in d.items():
        rule = TOLERATED.get(key)
        if rule is None:
            raise Unfollowable(f"{path}/{key}", value, "the emulator's media plane does not implement it")
        allowed, _why = rule
        if allowed is None:
            continue
        if isinstance(allowed, list):
            if value != allowed:
                raise Unfollowable(f"{path}/{key}", value, f"only {allowed!r} is implemented")
            continue
        values = value if isinstance(value, list) else [value]
        for v in values:
            if v not in allowed:
                raise Unfollowable(f"{path}/{key}", value, f"only {sorted(map(str, allowed))} is implemented")


def _enum(value, path, table):
    if value not in table:
        raise Unfollowable(path, value, f"implemented values: {sorted(table)}")
    return table[value]


PROFILES = {"BASELINE": "baseline", "MAIN": "main", "HIGH": "high"}
LEVELS = {
    "H264_LEVEL_AUTO": None, "H264_LEVEL_1": "1", "H264_LEVEL_1_1": "1.1", "H264_LEVEL_1_2": "1.2",
    "H264_LEVEL_1_3": "1.3", "H264_LEVEL_2": "2", "H264_LEVEL_2_1": "2.1", "H264_LEVEL_2_2": "2.2",
    "H264_LEVEL_3": "3", "H264_LEVEL_3_1": "3.1", "H264_LEVEL_3_2": "3.2", "H264_LEVEL_4": "4",
    "H264_LEVEL_4_1": "4.1", "H264_LEVEL_4_2": "4.2", "H264_LEVEL_5": "5", "H264_LEVEL_5_1": "5.1",
    "H264_LEVEL_5_2": "5.2",
}
# MediaLive's adaptive quantization strengths mapped onto x264's aq-strength
# (approximation: MediaLive documents only the order of the levels).
AQ = {"OFF": (0, 0.0), "LOW": (1, 0.5), "MEDIUM": (1, 0.8), "AUTO": (1, 1.0), "HIGH": (1, 1.2),
      "HIGHER": (1, 1.5), "MAX": (1, 2.0)}
LOOKAHEAD = {"LOW": 10, "MEDIUM": 20, "HIGH": 40}
AAC_PROFILES = {"LC": "aac_low"}
CODING_MODES = {"CODING_MODE_1_0": 1, "CODING_MODE_2_0": 2, "CODING_MODE_5_1": 6}


def _video(vd, path):
    vd = dict(vd)
    name = _pop(vd, "name", path)
    width = _pop(vd, "width", path, required=False)
    height = _pop(vd, "height", path, required=False)
    if not width or not height:
        raise Unfollowable(f"{path}/width", width, "a size taken from the source is not implemented")
    sharpness = _pop(vd, "sharpness", path, required=False, default=50)
    scaling = _pop(vd, "scalingBehavior", path, required=False, default="DEFAULT")
    stretch = _enum(scaling, f"{path}/scalingBehavior", {"DEFAULT": False, "STRETCH_TO_OUTPUT": True})
    codec = dict(_pop(vd, "codecSettings", path))
    cpath = f"{path}/codecSettings"
    h264 = codec.pop("h264Settings", None)
    if h264 is None or codec:
        raise Unfollowable(cpath, sorted(codec) or None, "only h264Settings is implemented")
    _leftovers(vd, path)
    hpath = f"{cpath}/h264Settings"
    h = dict(h264)
    profile = _enum(_pop(h, "profile", hpath, required=False, default="MAIN"), f"{hpath}/profile", PROFILES)
    level = _enum(_pop(h, "level", hpath, required=False, default="H264_LEVEL_AUTO"), f"{hpath}/level", LEVELS)
    rc = _pop(h, "rateControlMode", hpath, required=False, default="CBR")
    if rc not in ("QVBR", "CBR", "VBR"):
        raise Unfollowable(f"{hpath}/rateControlMode", rc, "implemented: QVBR, CBR, VBR")
    bitrate = _pop(h, "bitrate", hpath, required=rc != "QVBR", default=None)
    max_bitrate = _pop(h, "maxBitrate", hpath, required=rc in ("QVBR", "VBR"), default=None)
    buf_size = _pop(h, "bufSize", hpath, required=False, default=None)
    buf_fill = _pop(h, "bufFillPct", hpath, required=False, default=90)
    qvbr = _pop(h, "qvbrQualityLevel", hpath, required=False, default=None)
    if rc == "QVBR" and qvbr is None:
        raise Unfollowable(f"{hpath}/qvbrQualityLevel", None, "automatic QVBR quality is not implemented")
    fc = _pop(h, "framerateControl", hpath, required=False, default="INITIALIZE_FROM_SOURCE")
    fps = None
    if fc == "SPECIFIED":
        fps = (int(_pop(h, "framerateNumerator", hpath)), int(_pop(h, "framerateDenominator", hpath)))
        if fps[0] <= 0 or fps[1] <= 0:
            raise Unfollowable(f"{hpath}/framerateNumerator", fps, "a positive frame rate is needed")
    elif fc != "INITIALIZE_FROM_SOURCE":
        raise Unfollowable(f"{hpath}/framerateControl", fc, "implemented: SPECIFIED, INITIALIZE_FROM_SOURCE")
    else:
        h.pop("framerateNumerator", None)
        h.pop("framerateDenominator", None)
    if fps is None:
        raise Unfollowable(f"{hpath}/framerateControl", fc,
                           "a frame rate taken from the source is not implemented (GOPs are timed on it)")
    gop_size = float(_pop(h, "gopSize", hpath, required=False, default=90))
    units = _pop(h, "gopSizeUnits", hpath, required=False, default="FRAMES")
    if units == "SECONDS":
        gop_frames = round(gop_size * fps[0] / fps[1])
    elif units == "FRAMES":
        gop_frames = round(gop_size)
    else:
        raise Unfollowable(f"{hpath}/gopSizeUnits", units, "implemented: FRAMES, SECONDS")
    if gop_frames < 1:
        raise Unfollowable(f"{hpath}/gopSize", gop_size, "a GOP of at least one frame")
    closed = _pop(h, "gopClosedCadence", hpath, required=False, default=1)
    b_frames = int(_pop(h, "gopNumBFrames", hpath, required=False, default=2))
    if profile == "baseline" and b_frames:
        raise Unfollowable(f"{hpath}/gopNumBFrames", b_frames, "H.264 Baseline has no B-frames")
    b_ref = h.get("gopBReference", "DISABLED")
    subgop = h.get("subgopLength", "FIXED")
    refs = int(_pop(h, "numRefFrames", hpath, required=False, default=1))
    entropy = _pop(h, "entropyEncoding", hpath, required=False, default="CABAC")
    cabac = _enum(entropy, f"{hpath}/entropyEncoding", {"CABAC": True, "CAVLC": False})
    if cabac and profile == "baseline":
        raise Unfollowable(f"{hpath}/entropyEncoding", entropy, "H.264 Baseline has no CABAC")
    aq_mode, aq_strength = _enum(_pop(h, "adaptiveQuantization", hpath, required=False, default="AUTO"),
                                 f"{hpath}/adaptiveQuantization", AQ)
    if _pop(h, "spatialAq", hpath, required=False, default="ENABLED") == "DISABLED":
        aq_mode = 0
    mbtree = _pop(h, "temporalAq", hpath, required=False, default="ENABLED") == "ENABLED"
    lookahead = _enum(_pop(h, "lookAheadRateControl", hpath, required=False, default="MEDIUM"),
                      f"{hpath}/lookAheadRateControl", LOOKAHEAD)
    scan = _pop(h, "scanType", hpath, required=False, default="PROGRESSIVE")
    if scan != "PROGRESSIVE":
        raise Unfollowable(f"{hpath}/scanType", scan, "interlaced output is not implemented")
    scene = _pop(h, "sceneChangeDetect", hpath, required=False, default="ENABLED")
    scene_cut = _enum(scene, f"{hpath}/sceneChangeDetect", {"ENABLED": True, "DISABLED": False})
    par = _pop(h, "parControl", hpath, required=False, default="INITIALIZE_FROM_SOURCE")
    sar = None
    if par == "SPECIFIED":
        sar = (int(_pop(h, "parNumerator", hpath)), int(_pop(h, "parDenominator", hpath)))
    elif par != "INITIALIZE_FROM_SOURCE":
        raise Unfollowable(f"{hpath}/parControl", par, "implemented: SPECIFIED, INITIALIZE_FROM_SOURCE")
    if b_frames == 0:
        h.pop("gopBReference", None)
        h.pop("subgopLength", None)
    _leftovers(h, hpath)
    if rc == "QVBR":
        bitrate = None  # "Not used for QVBR" (H264Settings.Bitrate)
    return Rendition(
        name_modifier="", video_name=name, width=int(width), height=int(height), fps=fps,
        profile=profile, level=level, rate_control=rc, bitrate=bitrate and int(bitrate),
        max_bitrate=max_bitrate and int(max_bitrate), buf_size=buf_size and int(buf_size),
        buf_fill_pct=int(buf_fill), qvbr_level=qvbr and int(qvbr), gop_frames=gop_frames,
        closed_gop=int(closed) >= 1, scene_cut=scene_cut, b_frames=b_frames,
        b_pyramid=b_ref == "ENABLED", b_adapt=subgop == "DYNAMIC", refs=refs, cabac=cabac,
        aq_mode=aq_mode, aq_strength=aq_strength, lookahead=lookahead, mbtree=mbtree,
        sharpness=int(sharpness), stretch=stretch, sar=sar, audio=None, segment_modifier="")


def _audio(ad, path):
    ad = dict(ad)
    name = _pop(ad, "name", path)
    selector = _pop(ad, "audioSelectorName", path)
    codec = dict(_pop(ad, "codecSettings", path))
    cpath = f"{path}/codecSettings"
    aac = codec.pop("aacSettings", None)
    if aac is None or codec:
        raise Unfollowable(cpath, sorted(codec) or None, "only aacSettings is implemented")
    _leftovers(ad, path)
    apath = f"{cpath}/aacSettings"
    a = dict(aac)
    rc = _pop(a, "rateControlMode", apath, required=False, default="CBR")
    if rc != "CBR":
        raise Unfollowable(f"{apath}/rateControlMode", rc, "only CBR AAC is implemented")
    result = {
        "name": name,
        "selector": selector,
        "bitrate": int(_pop(a, "bitrate", apath, required=False, default=192000)),
        "sample_rate": int(_pop(a, "sampleRate", apath, required=False, default=48000)),
        "channels": _enum(_pop(a, "codingMode", apath, required=False, default="CODING_MODE_2_0"),
                          f"{apath}/codingMode", CODING_MODES),
        "profile": _enum(_pop(a, "profile", apath, required=False, default="LC"), f"{apath}/profile",
                         AAC_PROFILES),
    }
    _leftovers(a, apath)
    return name, result


# MediaLive's identifiers for variable data (ug variable-data-identifiers):
# in an HLS segment modifier, $dt$, $d$ and $t$ are the UTC date/time of each
# segment; the others are fixed for an output.
_TIME_IDS = {"dt": "%Y%m%dT%H%M%S", "d": "%Y%m%d", "t": "%H%M%S"}
_IDENT = re.compile(r"\$([a-z]*)\$")


def _modifier(text, path, rendition, allow_time):
    """The modifier with MediaLive's $identifiers$ resolved; time ones become
    strftime fields (the caller runs ffmpeg with TZ=UTC). Returns the text
    with literal '%' doubled for strftime."""
    if not _SAFE_NAME.match(_IDENT.sub("", text)):
        raise Unfollowable(path, text, "only letters, digits, '_', '.', '~', '-' and identifiers are implemented")
    out = []
    pos = 0
    for m in _IDENT.finditer(text):
        out.append(text[pos:m.start()])
        ident = m.group(1)
        if ident == "":
            out.append("$")
        elif ident in _TIME_IDS and allow_time:
            out.append(_TIME_IDS[ident])
        elif ident == "w":
            out.append(str(rendition.width))
        elif ident == "h":
            out.append(str(rendition.height))
        elif ident == "f":
            out.append(str(int(rendition.fps_value)))
        elif ident == "rv" and rendition.bitrate:
            out.append(str(rendition.bitrate // 1000))
        else:
            raise Unfollowable(path, text, f"the identifier ${ident}$ is not implemented here")
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


_SAFE_NAME = re.compile(r"^[A-Za-z0-9_.~-]*$")


def _pids(m3u8, path):
    m = dict(m3u8)
    pids = {}
    for key, name in (("pmtPid", "pmt"), ("videoPid", "video"), ("programNum", "program"),
                      ("transportStreamId", "tsid")):
        if key in m:
            value = m.pop(key)
            try:
                pids[name] = int(str(value), 0)
            except ValueError:
                raise Unfollowable(f"{path}/{key}", value, "a number is expected")
    if "audioPids" in m:
        value = m.pop("audioPids")
        first = re.split(r"[-,]", str(value).strip())[0]
        try:
            pids["audio"] = int(first, 0)
        except ValueError:
            raise Unfollowable(f"{path}/audioPids", value, "a PID, list or range is expected")
    _leftovers(m, path)
    return pids


def _destination(url, path):
    """The object store and key prefix a destination URL names."""
    if re.search(r"\$[a-z]*\$", url):
        raise Unfollowable(path, url, "identifiers in destination URLs are not implemented")
    m = re.match(r"^(s3ssl|s3)://([^/]+)/(.+)$", url)
    if m:
        key = m.group(3)
        prefix, _, base = key.rpartition("/")
        if not base or not _SAFE_NAME.match(base):
            raise Unfollowable(path, url, "the file name must be letters, digits, '_', '.', '~', '-'")
        return {"kind": "s3", "bucket": m.group(2), "prefix": prefix, "base": base, "url": url}
    m = re.match(r"^(mediastoressl|mediastore)://([^/]+)(/.*)?$", url)
    if m:
        rest = (m.group(3) or "").strip("/")
        container_path, _, base = rest.rpartition("/")
        # The container endpoint the emulator hands out keeps its
        # /_mediastore/<name> path: split it off the object path.
        mm = re.match(r"^(_mediastore/[^/]+)(?:/(.*))?$", container_path)
        if mm:
            endpoint = f"http://{m.group(2)}/{mm.group(1)}"
            prefix = mm.group(2) or ""
        else:
            endpoint, prefix = f"http://{m.group(2)}", container_path
        if not base or not _SAFE_NAME.match(base):
            raise Unfollowable(path, url, "the file name must be letters, digits, '_', '.', '~', '-'")
        return {"kind": "mediastore", "endpoint": endpoint, "prefix": prefix, "base": base, "url": url}
    raise Unfollowable(path, url, "implemented destinations: s3ssl://, s3://, mediastoressl://, mediastore://")


def channel_plan(channel):
    """The Plan of `channel` (wire-form dict of the Channel shape).

    Raises Unfollowable for the first member the media plane cannot follow."""
    ch = dict(channel)
    cid = ch.get("id")
    enc = dict(ch.get("encoderSettings") or {})
    epath = "/encoderSettings"
    if not enc:
        raise Unfollowable(epath, None, "a channel without encoder settings has nothing to encode")
    videos = {}
    for i, vd in enumerate(_pop(enc, "videoDescriptions", epath)):
        r = _video(vd, f"{epath}/videoDescriptions/{i}")
        videos[r.video_name] = r
    audios = {}
    for i, ad in enumerate(_pop(enc, "audioDescriptions", epath, required=False, default=[])):
        name, a = _audio(ad, f"{epath}/audioDescriptions/{i}")
        audios[name] = a
    enc.pop("availConfiguration", None)  # checked below
    avail = (channel.get("encoderSettings") or {}).get("availConfiguration")
    if avail:
        settings = dict(avail.get("availSettings") or {})
        settings.pop("scte35SpliceInsert", None)  # no SCTE-35 in the sources: nothing to splice
        settings.pop("scte35TimeSignalApos", None)
        if settings or set(avail) - {"availSettings"}:
            raise Unfollowable(f"{epath}/availConfiguration", avail, "implemented: SCTE-35 avail settings")
    groups = _pop(enc, "outputGroups", epath)
    _leftovers(enc, epath)
    if len(groups) != 1:
        raise Unfollowable(f"{epath}/outputGroups", len(groups), "exactly one HLS output group is implemented")
    gpath = f"{epath}/outputGroups/0"
    group = dict(groups[0])
    group.pop("name", None)
    ogs = dict(_pop(group, "outputGroupSettings", gpath))
    hls = ogs.pop("hlsGroupSettings", None)
    if hls is None or ogs:
        raise Unfollowable(f"{gpath}/outputGroupSettings", sorted(ogs) or None,
                           "only hlsGroupSettings is implemented")
    outputs = _pop(group, "outputs", gpath)
    _leftovers(group, gpath)
    hpath = f"{gpath}/outputGroupSettings/hlsGroupSettings"
    h = dict(hls)
    dest_ref = (_pop(h, "destination", hpath) or {}).get("destinationRefId")
    segment_length = int(_pop(h, "segmentLength", hpath, required=False, default=10))
    index_n = int(_pop(h, "indexNSegments", hpath, required=False, default=10))
    keep = int(_pop(h, "keepSegments", hpath, required=False, default=21))
    if keep <= index_n:
        raise Unfollowable(f"{hpath}/keepSegments", keep,
                           "must be bigger than indexNSegments (HlsGroupSettings.KeepSegments)")
    pdt = _enum(_pop(h, "programDateTime", hpath, required=False, default="EXCLUDE"),
                f"{hpath}/programDateTime", {"INCLUDE": True, "EXCLUDE": False})
    integer = _enum(_pop(h, "manifestDurationFormat", hpath, required=False, default="FLOATING_POINT"),
                    f"{hpath}/manifestDurationFormat", {"FLOATING_POINT": False, "INTEGER": True})
    client_cache = _enum(_pop(h, "clientCache", hpath, required=False, default="ENABLED"),
                         f"{hpath}/clientCache", {"ENABLED": True, "DISABLED": False})
    inf_res = _enum(_pop(h, "streamInfResolution", hpath, required=False, default="INCLUDE"),
                    f"{hpath}/streamInfResolution", {"INCLUDE": True, "EXCLUDE": False})
    selection = _pop(h, "outputSelection", hpath, required=False, default="MANIFESTS_AND_SEGMENTS")
    _enum(selection, f"{hpath}/outputSelection",
          {"MANIFESTS_AND_SEGMENTS": 1, "VARIANT_MANIFESTS_AND_SEGMENTS": 1, "SEGMENTS_ONLY": 1})
    loss = _pop(h, "inputLossAction", hpath, required=False, default="EMIT_OUTPUT")
    _enum(loss, f"{hpath}/inputLossAction", {"EMIT_OUTPUT": 1, "PAUSE_OUTPUT": 1})
    cdn = dict(_pop(h, "hlsCdnSettings", hpath, required=False, default={}) or {})
    store = {}
    for kind in ("hlsS3Settings", "hlsMediaStoreSettings"):
        if kind in cdn:
            store = dict(cdn.pop(kind) or {})
            for key in list(store):
                if key not in ("cannedAcl", "numRetries", "connectionRetryInterval", "restartDelay",
                               "filecacheDuration", "mediaStoreStorageClass"):
                    raise Unfollowable(f"{hpath}/hlsCdnSettings/{kind}/{key}", store[key], "not implemented")
            if store.get("mediaStoreStorageClass", "TEMPORAL") != "TEMPORAL":
                raise Unfollowable(f"{hpath}/hlsCdnSettings/{kind}/mediaStoreStorageClass",
                                   store["mediaStoreStorageClass"], "MediaStore stores TEMPORAL only")
    if cdn:
        raise Unfollowable(f"{hpath}/hlsCdnSettings", sorted(cdn), "implemented: hlsS3Settings, hlsMediaStoreSettings")
    if "encryptionType" in h or "keyProviderSettings" in h:
        raise Unfollowable(f"{hpath}/encryptionType", h.get("encryptionType"), "HLS encryption is not implemented")
    _leftovers(h, hpath)

    renditions = []
    seen_names = set()
    for i, out in enumerate(outputs):
        opath = f"{gpath}/outputs/{i}"
        o = dict(out)
        o.pop("outputName", None)
        vname = _pop(o, "videoDescriptionName", opath, required=False)
        if vname is None:
            raise Unfollowable(f"{opath}/videoDescriptionName", None, "audio-only outputs are not implemented")
        if vname not in videos:
            raise Unfollowable(f"{opath}/videoDescriptionName", vname, "no video description has this name")
        anames = _pop(o, "audioDescriptionNames", opath, required=False, default=[])
        if len(anames) > 1:
            raise Unfollowable(f"{opath}/audioDescriptionNames", anames, "one audio per rendition is implemented")
        for name in anames:
            if name not in audios:
                raise Unfollowable(f"{opath}/audioDescriptionNames", name, "no audio description has this name")
        captions = _pop(o, "captionDescriptionNames", opath, required=False, default=[])
        if captions:
            raise Unfollowable(f"{opath}/captionDescriptionNames", captions, "captions are not implemented")
        osettings = dict(_pop(o, "outputSettings", opath))
        hos = osettings.pop("hlsOutputSettings", None)
        if hos is None or osettings:
            raise Unfollowable(f"{opath}/outputSettings", sorted(osettings) or None,
                               "only hlsOutputSettings is implemented")
        _leftovers(o, opath)
        hopath = f"{opath}/outputSettings/hlsOutputSettings"
        ho = dict(hos)
        r = Rendition(**{**videos[vname].__dict__})
        r.audio = dict(audios[anames[0]]) if anames else None
        name_mod = _pop(ho, "nameModifier", hopath, required=False, default="")
        r.name_modifier = _modifier(name_mod, f"{hopath}/nameModifier", r, allow_time=False)
        if not r.name_modifier or not _SAFE_NAME.match(r.name_modifier) or r.name_modifier in seen_names:
            raise Unfollowable(f"{hopath}/nameModifier", name_mod,
                               "name modifiers must be non-empty, distinct, and made of letters, digits, "
                               "'_', '.', '~', '-'")
        seen_names.add(r.name_modifier)
        r.segment_modifier = _modifier(_pop(ho, "segmentModifier", hopath, required=False, default=""),
                                       f"{hopath}/segmentModifier", r, allow_time=True)
        hs = dict(_pop(ho, "hlsSettings", hopath))
        std = hs.pop("standardHlsSettings", None)
        if std is None or hs:
            raise Unfollowable(f"{hopath}/hlsSettings", sorted(hs) or None,
                               "only standardHlsSettings is implemented")
        std = dict(std)
        spath = f"{hopath}/hlsSettings/standardHlsSettings"
        r.pids = _pids(_pop(std, "m3u8Settings", spath, required=False, default={}), f"{spath}/m3u8Settings")
        _leftovers(std, spath)
        _leftovers(ho, hopath)
        renditions.append(r)
    if not renditions:
        raise Unfollowable(f"{gpath}/outputs", [], "an HLS output group needs outputs")
    if len({r.segment_modifier for r in renditions}) != 1:
        raise Unfollowable(f"{gpath}/outputs", [r.segment_modifier for r in renditions],
                           "segment modifiers that differ between outputs are not implemented")
    if len({tuple(sorted((k, v) for k, v in r.pids.items() if k in ("pmt", "program", "tsid")))
            for r in renditions}) != 1:
        raise Unfollowable(f"{gpath}/outputs", None,
                           "PMT PIDs, program numbers or transport stream ids that differ between outputs "
                           "are not implemented")

    destinations = []
    for j, d in enumerate(ch.get("destinations") or []):
        if d.get("id") != dest_ref:
            continue
        for k, s in enumerate(d.get("settings") or []):
            spath = f"/destinations/{j}/settings/{k}"
            if s.get("username") or s.get("passwordParam"):
                raise Unfollowable(spath, s.get("username"), "destination credentials are not used by s3/mediastore")
            destinations.append(_destination(s.get("url") or "", f"{spath}/url"))
    pipelines = 2 if ch.get("channelClass") == "STANDARD" else 1
    if len(destinations) != pipelines:
        raise Unfollowable("/destinations", len(destinations),
                           f"{pipelines} destination URL(s) named {dest_ref!r} are needed, one per pipeline")

    attachments = ch.get("inputAttachments") or []
    if len(attachments) != 1:
        raise Unfollowable("/inputAttachments", len(attachments), "exactly one input attachment is implemented")
    att = dict(attachments[0])
    ipath = "/inputAttachments/0"
    input_id = _pop(att, "inputId", ipath)
    att.pop("inputAttachmentName", None)
    settings = dict(att.pop("inputSettings", None) or {})
    if att:
        raise Unfollowable(f"{ipath}/{sorted(att)[0]}", att[sorted(att)[0]], "not implemented")
    end = settings.pop("sourceEndBehavior", "CONTINUE")
    _enum(end, f"{ipath}/inputSettings/sourceEndBehavior", {"CONTINUE": 1, "LOOP": 1})
    if settings:
        key = sorted(settings)[0]
        raise Unfollowable(f"{ipath}/inputSettings/{key}", settings[key], "not implemented")
    for key in ("vpc", "cdiInputSpecification", "anywhereSettings"):
        if ch.get(key):
            raise Unfollowable(f"/{key}", ch[key], "not implemented")
    return Plan(
        channel_id=cid, renditions=renditions, segment_length=segment_length, index_n_segments=index_n,
        keep_segments=keep, program_date_time=pdt, integer_durations=integer, client_cache=client_cache,
        stream_inf_resolution=inf_res, output_selection=selection, input_loss_action=loss,
        destinations=destinations, store_settings=store, source_end_behavior=end, input_id=input_id)
