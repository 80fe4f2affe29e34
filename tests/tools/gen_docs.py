"""Generates the Registry-layout documentation from the provider's schema.

    python gen_docs.py SCHEMA_JSON OUT_DIR

SCHEMA_JSON is `tofu providers schema -json` of a configuration using
lsms/lsms. Writes OUT_DIR/index.md, OUT_DIR/resources/<name>.md and
OUT_DIR/guides/<guide>.md. Examples come from examples/provider/provider.tf
and examples/resources/<type>/ (resource.tf, import.sh); the IAM actions each
resource calls from examples/resources/<type>/iam-actions.txt. Prose that no
schema holds comes from templates/ (as tfplugindocs lays it out):
templates/resources/<name>.md is added to that resource's page after its
schema, templates/guides/<guide>.md is copied to the guides. Output is
deterministic, so `make docs-check` can compare a fresh run with the
committed files.
"""

import json
import os
import sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EXAMPLES = os.path.join(REPO, "examples")
TEMPLATES = os.path.join(REPO, "templates")

TITLES = {
    "lsms_container": "MediaStore container: the stream's origin",
    "lsms_channel": "MediaLive input and channel with the HLS ladder",
    "lsms_distribution": "CloudFront distribution in front of the container or the S3 bucket",
    "lsms_dashboard": "CloudWatch dashboard of the origin's traffic (logs or S3 metrics)",
    "lsms_bucket": "S3 bucket: the stream's origin on today's AWS",
    "lsms_player": "The stream's demo player, served by the stream's own distribution",
}


def read(path):
    with open(path) as f:
        return f.read().strip()


def type_text(t):
    if isinstance(t, str):
        return t
    kind = t[0]
    if kind in ("list", "set", "map"):
        return f"{kind}({type_text(t[1])})"
    if kind == "object":
        inner = ", ".join(f"{k} = {type_text(v)}" for k, v in sorted(t[1].items()))
        return f"object({{ {inner} }})"
    if kind == "tuple":
        return "tuple([" + ", ".join(type_text(x) for x in t[1]) + "])"
    return json.dumps(t)


def attr_type(attr):
    if "type" in attr:
        return type_text(attr["type"])
    nested = attr["nested_type"]
    mode = nested.get("nesting_mode", "single")
    return {"single": "object", "list": "list of objects", "set": "set of objects",
            "map": "map of objects"}.get(mode, mode)


def flags(attr):
    out = []
    if attr.get("sensitive"):
        out.append("sensitive")
    if attr.get("write_only"):
        out.append("write-only")
    if attr.get("deprecated"):
        out.append("deprecated")
    return (", " + ", ".join(out)) if out else ""


def describe(attr):
    return " ".join((attr.get("description") or "").split())


def render_block(block, lines, anchor_prefix=""):
    attrs = block.get("attributes", {})
    groups = [
        ("Required", lambda a: a.get("required")),
        ("Optional", lambda a: a.get("optional")),
        ("Read-Only", lambda a: a.get("computed") and not a.get("optional")
         and not a.get("required")),
    ]
    nested_to_render = []
    for title, pick in groups:
        names = sorted(n for n, a in attrs.items() if pick(a))
        if not names:
            continue
        lines.append(f"### {title}")
        lines.append("")
        for name in names:
            a = attrs[name]
            lines.append(f"- `{name}` ({attr_type(a)}{flags(a)}) {describe(a)}")
            if "nested_type" in a:
                nested_to_render.append((name, {"attributes": a["nested_type"]["attributes"]}))
        lines.append("")
    for name, nb in sorted(block.get("block_types", {}).items()):
        nested_to_render.append((name, nb["block"]))
    for name, inner in nested_to_render:
        lines.append(f"### Nested schema for `{anchor_prefix}{name}`")
        lines.append("")
        render_block(inner, lines, anchor_prefix=f"{anchor_prefix}{name}.")


def render_resource(type_name, schema):
    short = type_name[len("lsms_"):]
    block = schema["block"]
    lines = [
        "---",
        f'page_title: "{type_name} Resource - lsms"',
        'description: |-',
        f"  {TITLES.get(type_name, type_name)}",
        "---",
        "",
        f"# {type_name} (Resource)",
        "",
        " ".join((block.get("description") or TITLES.get(type_name, "")).split()),
        "",
    ]
    example = os.path.join(EXAMPLES, "resources", type_name, "resource.tf")
    if os.path.exists(example):
        lines += ["## Example Usage", "", "```terraform", read(example), "```", ""]
    lines += ["## Schema", ""]
    render_block(block, lines)
    notes = os.path.join(TEMPLATES, "resources", f"{short}.md")
    if os.path.exists(notes):
        lines += [read(notes), ""]
    iam = os.path.join(EXAMPLES, "resources", type_name, "iam-actions.txt")
    if os.path.exists(iam):
        actions = [l.strip() for l in read(iam).splitlines() if l.strip()
                   and not l.startswith("#")]
        lines += ["## IAM permissions", "",
                  "The AWS actions this resource calls, for a least-privilege policy:", ""]
        lines += [f"- `{a}`" for a in actions]
        lines.append("")
    imp = os.path.join(EXAMPLES, "resources", type_name, "import.sh")
    if os.path.exists(imp):
        lines += ["## Import", "", "```shell", read(imp), "```", ""]
    return short, "\n".join(lines).rstrip() + "\n"


def guide_names():
    """The guides in templates/guides, by file name without .md."""
    d = os.path.join(TEMPLATES, "guides")
    if not os.path.isdir(d):
        return []
    return sorted(f[:-3] for f in os.listdir(d) if f.endswith(".md"))


def guide_title(name):
    """The page_title of a guide's front matter, else its name."""
    for line in read(os.path.join(TEMPLATES, "guides", f"{name}.md")).splitlines():
        if line.startswith("page_title:"):
            return line.split(":", 1)[1].strip().strip('"')
    return name


def render_index(provider_schema, resource_names):
    lines = [
        "---",
        'page_title: "lsms Provider"',
        "description: |-",
        "  Deploys the Live Streaming on AWS solution, with a MediaStore or an S3 origin.",
        "---",
        "",
        "# lsms Provider",
        "",
        "The lsms provider deploys the *Live Streaming on AWS with MediaStore* solution: "
        "AWS Elemental MediaLive ingests one live source and encodes it to an HLS ladder, "
        "AWS Elemental MediaStore holds the stream, Amazon CloudFront serves it and an "
        "Amazon CloudWatch dashboard watches the container's traffic. The same pipeline "
        "runs with an Amazon S3 bucket as the origin (`lsms_bucket`), as AWS's successor "
        "solution *Live Streaming on AWS with Amazon S3* does: MediaLive writes into the "
        "bucket and CloudFront reads it through an Origin Access Control.",
        "",
        "AWS discontinued AWS Elemental MediaStore on November 13, 2025; `lsms_container` "
        "works against an emulator only. On AWS today, use the S3 origin: `lsms_bucket` with "
        "`lsms_channel.destination_bucket`, `lsms_distribution.origin_bucket` and "
        "`lsms_dashboard.bucket_name`.",
        "",
        "## Example Usage",
        "",
        "```terraform",
        read(os.path.join(EXAMPLES, "provider", "provider.tf")),
        "```",
        "",
        "## Resources",
        "",
    ]
    lines += [f"- [`{n}`](resources/{n[len('lsms_'):]}.md)" for n in resource_names]
    guides = guide_names()
    if guides:
        lines += ["", "## Guides", ""]
        lines += [f"- [{guide_title(g)}](guides/{g}.md)" for g in guides]
    lines += ["", "## Schema", ""]
    render_block(provider_schema["block"], lines)
    all_actions = set()
    lists = [os.path.join(EXAMPLES, "provider", "iam-actions.txt")]
    lists += [os.path.join(EXAMPLES, "resources", n, "iam-actions.txt") for n in resource_names]
    for p in lists:
        if os.path.exists(p):
            all_actions.update(l.strip() for l in read(p).splitlines()
                               if l.strip() and not l.startswith("#"))
    if all_actions:
        policy = {"Version": "2012-10-17",
                  "Statement": [{"Effect": "Allow", "Action": sorted(all_actions),
                                 "Resource": "*"}]}
        lines += ["## IAM permissions", "",
                  "Every AWS action the provider calls (each resource page lists its own). "
                  "`sts:GetCallerIdentity` is called at configuration unless "
                  "`skip_credentials_validation` and `skip_requesting_account_id` are set.",
                  "", "```json", json.dumps(policy, indent=2), "```", ""]
    return "\n".join(lines).rstrip() + "\n"


def main():
    schema_path, out_dir = sys.argv[1], sys.argv[2]
    with open(schema_path) as f:
        schema = json.load(f)
    (provider,) = [v for k, v in schema["provider_schemas"].items() if k.endswith("/lsms/lsms")]
    resources = provider["resource_schemas"]
    os.makedirs(os.path.join(out_dir, "resources"), exist_ok=True)
    names = sorted(resources)
    for type_name in names:
        short, text = render_resource(type_name, resources[type_name])
        with open(os.path.join(out_dir, "resources", f"{short}.md"), "w") as f:
            f.write(text)
    with open(os.path.join(out_dir, "index.md"), "w") as f:
        f.write(render_index(provider["provider"], names))
    guides = guide_names()
    if guides:
        os.makedirs(os.path.join(out_dir, "guides"), exist_ok=True)
    for g in guides:
        with open(os.path.join(out_dir, "guides", f"{g}.md"), "w") as f:
            f.write(read(os.path.join(TEMPLATES, "guides", f"{g}.md")) + "\n")


if __name__ == "__main__":
    main()
