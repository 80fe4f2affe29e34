"""The ffmpeg command line of one pipeline, from its Plan.

One ffmpeg process per pipeline encodes every rendition of the HLS output
group (one x264 and one AAC encoder per output) and writes the group with
ffmpeg's HLS muxer into a private folder (output.py uploads it):

    <base><nameModifier>.m3u8                     media playlist per rendition
    <base><nameModifier><segmentModifier>NNNNN.ts segments, counted from 1
    <base>.m3u8                                   master manifest

What is approximated is said where it is done and in the README.
"""

import os

PRESET = os.environ.get("LSMS_EMULATOR_X264_PRESET", "superfast")
TIME_FIELDS = ("%H", "%M", "%S", "%Y", "%m", "%d")


def qvbr_crf(level):
    """QVBR quality level (1-10, 10 best) as an x264 CRF: an approximation,
    capped by MaxBitrate/BufSize as QVBR is (README)."""
    return max(10, min(40, 36 - 2 * int(level)))


def _scaler(sharpness):
    # VideoDescription.Sharpness: "the strength of the anti-alias filter used
    # for scaling, 0 softest, 100 sharpest" -> ffmpeg's scaler kernels.
    if sharpness >= 75:
        return "lanczos"
    if sharpness >= 40:
        return "bicubic"
    return "bilinear"


def _video_chain(r):
    steps = []
    if r.fps:
        steps.append(f"fps={r.fps[0]}/{r.fps[1]}")
    flags = _scaler(r.sharpness)
    if r.stretch:
        steps.append(f"scale={r.width}:{r.height}:flags={flags}")
        steps.append("setsar=1")
    else:
        # DEFAULT: letterbox or pillarbox, never distort.
        steps.append(f"scale={r.width}:{r.height}:force_original_aspect_ratio=decrease:flags={flags}")
        steps.append(f"pad={r.width}:{r.height}:(ow-iw)/2:(oh-ih)/2")
        steps.append("setsar=1")
    if r.sar:
        steps[-1] = f"setsar={r.sar[0]}/{r.sar[1]}"
    steps.append("format=yuv420p")
    return ",".join(steps)


def _x264_params(r, plan):
    p = [
        f"keyint={r.gop_frames}",
        f"min-keyint={r.gop_frames}",
        f"scenecut={40 if r.scene_cut else 0}",
        f"bframes={r.b_frames}",
        f"ref={r.refs}",
        f"cabac={1 if r.cabac else 0}",
        f"aq-mode={r.aq_mode}",
        f"aq-strength={r.aq_strength}",
        f"rc-lookahead={r.lookahead}",
        f"mbtree={1 if r.mbtree else 0}",
        f"open-gop={0 if r.closed_gop else 1}",
        f"vbv-init={r.buf_fill_pct / 100:.2f}",
        "repeat-headers=1",
    ]
    if r.b_frames:
        p.append(f"b-pyramid={'normal' if r.b_pyramid else 'none'}")
        p.append(f"b-adapt={1 if r.b_adapt else 0}")
    if r.rate_control == "CBR":
        p.append("nal-hrd=cbr")
    return ":".join(p)


def input_args(kind, spec):
    """The input part: returns (args, video_label, audio_label or None)."""
    if kind == "pull":
        args = ["-live_start_index", "-1", "-rw_timeout", "15000000", "-reconnect", "1",
                "-reconnect_streamed", "1", "-reconnect_delay_max", "4"]
        if spec.get("headers"):
            args += ["-headers", spec["headers"]]
        args += ["-i", spec["url"]]
        return args, "0:v:0", "0:a:0"
    if kind == "rtmp":
        return ["-listen", "1", "-timeout", "20", "-i", spec["url"]], "0:v:0", "0:a:0"
    if kind == "udp":
        return ["-f", "mpegts", "-i", spec["url"]], "0:v:0", "0:a:0"
    if kind == "lavfi":
        return ["-re", "-f", "lavfi", "-i", spec["video"], "-f", "lavfi", "-i", spec["audio"]], "0:v:0", "1:a:0"
    raise ValueError(kind)


def encoder_args(plan, in_args, video_in, audio_in, folder, base, continuing, silence=False):
    """The whole command line. `audio_in` None (or silence=True) encodes
    silence for every audio description (MediaLive replaces missing audio
    with silence, alert 5101)."""
    rs = plan.renditions
    args = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y"] + list(in_args)
    n_inputs = sum(1 for a in in_args if a == "-i")
    graph = []
    vsplit = "".join(f"[vs{i}]" for i in range(len(rs)))
    graph.append(f"[{video_in}]split={len(rs)}{vsplit}" if len(rs) > 1 else f"[{video_in}]null[vs0]")
    for i, r in enumerate(rs):
        graph.append(f"[vs{i}]{_video_chain(r)}[v{i}]")
    with_audio = [i for i, r in enumerate(rs) if r.audio]
    if with_audio:
        if audio_in is None or silence:
            args += ["-f", "lavfi", "-i", "anullsrc=channel_layout=stereo:sample_rate=48000"]
            audio_in = f"{n_inputs}:a:0"
        asplit = "".join(f"[as{i}]" for i in with_audio)
        graph.append(f"[{audio_in}]aresample=async=1:first_pts=0,asplit={len(with_audio)}{asplit}"
                     if len(with_audio) > 1 else f"[{audio_in}]aresample=async=1:first_pts=0[as{with_audio[0]}]")
    args += ["-filter_complex", ";".join(graph)]
    streams = []  # (type, rendition index)
    for i, r in enumerate(rs):
        args += ["-map", f"[v{i}]"]
        streams.append(("v", i))
        if r.audio:
            args += ["-map", f"[as{i}]"]
            streams.append(("a", i))
    args += ["-c:v", "libx264", "-preset", PRESET, "-c:a", "aac"]
    vmap = []
    v = a = 0
    for index, (kind, i) in enumerate(streams):
        r = rs[i]
        if kind == "v":
            args += [f"-profile:v:{v}", r.profile]
            if r.level:
                args += [f"-level:v:{v}", r.level]
            if r.rate_control == "QVBR":
                args += [f"-crf:v:{v}", str(qvbr_crf(r.qvbr_level)), f"-maxrate:v:{v}", str(r.max_bitrate),
                         f"-bufsize:v:{v}", str(r.buf_size or 2 * r.max_bitrate)]
            elif r.rate_control == "CBR":
                args += [f"-b:v:{v}", str(r.bitrate), f"-minrate:v:{v}", str(r.bitrate),
                         f"-maxrate:v:{v}", str(r.bitrate), f"-bufsize:v:{v}", str(r.buf_size or 2 * r.bitrate)]
            else:
                args += [f"-b:v:{v}", str(r.bitrate), f"-maxrate:v:{v}", str(r.max_bitrate),
                         f"-bufsize:v:{v}", str(r.buf_size or 2 * r.max_bitrate)]
            args += [f"-x264-params:v:{v}", _x264_params(r, plan)]
            if r.fps:
                gop_seconds = r.gop_frames * r.fps[1] / r.fps[0]
                # The GOP cadence on the clock, identical on every rendition
                # whatever its frame rate, so segments cut at the same times.
                args += [f"-force_key_frames:v:{v}", f"expr:gte(t,n_forced*{gop_seconds:g})"]
            if "video" in r.pids:
                args += ["-streamid", f"{index}:{r.pids['video']}"]
            entry = f"v:{v}"
            v += 1
            if r.audio:
                entry += f",a:{a}"
            vmap.append(entry + f",name:{r.name_modifier}")
        else:
            au = r.audio
            args += [f"-b:a:{a}", str(au["bitrate"]), f"-ar:a:{a}", str(au["sample_rate"]),
                     f"-ac:a:{a}", str(au["channels"]), f"-profile:a:{a}", au["profile"]]
            if "audio" in r.pids:
                args += ["-streamid", f"{index}:{r.pids['audio']}"]
            a += 1
    seg_mod = {r.segment_modifier for r in rs}
    if len(seg_mod) != 1:
        raise ValueError("segment modifiers differ between outputs")  # plan.py refuses it first
    seg_mod = seg_mod.pop()
    uses_time = any(f in seg_mod for f in TIME_FIELDS)
    flags = ["delete_segments", "temp_file"]
    if uses_time:
        flags.append("second_level_segment_index")
    if continuing:
        flags += ["append_list", "discont_start"]
    if plan.program_date_time:
        flags.append("program_date_time")
    if plan.integer_durations:
        flags.append("round_durations")
    first = rs[0].pids
    seg_opts = []
    if "pmt" in first:
        seg_opts.append(f"mpegts_pmt_start_pid={first['pmt']}")
    if "program" in first:
        seg_opts.append(f"mpegts_service_id={first['program']}")
    if "tsid" in first:
        seg_opts.append(f"mpegts_transport_stream_id={first['tsid']}")
    # plan.py admits no literal '%' in names: what is left are strftime fields.
    segment_name = f"{base}%v{seg_mod}%%05d.ts" if uses_time else f"{base}%v{seg_mod}%05d.ts"
    args += ["-max_muxing_queue_size", "1024",
             "-f", "hls", "-hls_time", str(plan.segment_length),
             "-hls_list_size", str(plan.index_n_segments),
             "-hls_delete_threshold", str(plan.keep_segments - plan.index_n_segments),
             "-hls_flags", "+".join(flags), "-start_number", "1"]
    if uses_time:
        args += ["-strftime", "1"]
    if not plan.client_cache:
        args += ["-hls_allow_cache", "0"]
    if seg_opts:
        args += ["-hls_segment_options", ":".join(seg_opts)]
    args += ["-master_pl_name", f"{base}.m3u8", "-var_stream_map", " ".join(vmap),
             "-hls_segment_filename", os.path.join(folder, segment_name),
             os.path.join(folder, f"{base}%v.m3u8")]
    return args


def playlist_names(plan, base):
    return [f"{base}{r.name_modifier}.m3u8" for r in plan.renditions]
