"""Generates the Registry-layout documentation from the provider's schema.

    python gen_docs.py SCHEMA_JSON OUT_DIR

SCHEMA_JSON is `terraform providers schema -json` (Terraform 1.16.4, which
knows every kind of schema: resources with their identities, data sources,
functions, list resources, actions) of a configuration using lsms/lsms.
Writes OUT_DIR/index.md, OUT_DIR/resources/<name>.md,
OUT_DIR/data-sources/<name>.md, OUT_DIR/functions/<name>.md,
OUT_DIR/list-resources/<name>.md, OUT_DIR/actions/<name>.md and
OUT_DIR/guides/<guide>.md.

Examples come from examples/ as the Registry lays them out:
examples/provider/provider.tf; examples/resources/<type>/ (resource.tf,
import.sh, import-by-identity.tf); examples/data-sources/<type>/data-source.tf;
examples/functions/<name>/function.tf;
examples/list-resources/<type>/list-resource.tfquery.hcl;
examples/actions/<type>/action.tf. The IAM actions each one calls come from
iam-actions.txt beside its example. Prose that no schema holds comes from
templates/ (as tfplugindocs lays it out): templates/<kind>/<name>.md is added
to that page after its schema, templates/guides/<guide>.md is copied to the
guides. Output is deterministic, so `make docs-check` can compare a fresh run
with the committed files.
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


def iam_section(path, what):
    """The IAM actions of an iam-actions.txt, as a page section (or [])."""
    if not os.path.exists(path):
        return []
    actions = [l.strip() for l in read(path).splitlines() if l.strip() and not l.startswith("#")]
    lines = ["## IAM permissions", "", f"The AWS actions {what} calls, for a least-privilege "
             "policy:", ""]
    lines += [f"- `{a}`" for a in actions]
    lines.append("")
    return lines


def example_section(path, lang, title="## Example Usage"):
    if not os.path.exists(path):
        return []
    return [title, "", f"```{lang}", read(path), "```", ""]


def notes_section(kind, short):
    notes = os.path.join(TEMPLATES, kind, f"{short}.md")
    return [read(notes), ""] if os.path.exists(notes) else []


def front_matter(title, kind, summary):
    return ["---", f'page_title: "{title} {kind} - lsms"', "description: |-",
            f"  {summary}", "---", ""]


def first_sentence(text):
    text = " ".join((text or "").split())
    for end in (". ", ": "):
        if end in text:
            return text.split(end, 1)[0] + ("." if end == ". " else "")
    return text


def deprecation_lines(block, kind):
    if not block.get("deprecated"):
        return []
    why = " ".join((block.get("deprecation_message") or "").split())
    return [f"~> **Deprecated:** this {kind} is deprecated. {why}".rstrip(), ""]


def identity_section(type_name, identity):
    """The identity schema and the import-by-identity example of a resource."""
    if not identity:
        return []
    lines = ["## Identity", "",
             "What names the object for `import { identity = { ... } }` and `terraform query` "
             "(Terraform 1.12+, OpenTofu 1.12+):", ""]
    attrs = identity.get("attributes", {})
    for name in sorted(attrs, key=lambda n: (not attrs[n].get("required_for_import"), n)):
        a = attrs[name]
        need = "required" if a.get("required_for_import") else "optional"
        lines.append(f"- `{name}` ({type_text(a['type'])}, {need}) {describe(a)}")
    lines.append("")
    lines += example_section(os.path.join(EXAMPLES, "resources", type_name,
                                          "import-by-identity.tf"), "terraform",
                             "### Import by identity")
    return lines


def render_resource(type_name, schema, identity=None):
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
    ]
    lines += deprecation_lines(block, "resource")
    lines += [
        " ".join((block.get("description") or TITLES.get(type_name, "")).split()),
        "",
    ]
    example = os.path.join(EXAMPLES, "resources", type_name, "resource.tf")
    if os.path.exists(example):
        lines += ["## Example Usage", "", "```terraform", read(example), "```", ""]
    lines += ["## Schema", ""]
    render_block(block, lines)
    lines += notes_section("resources", short)
    lines += iam_section(os.path.join(EXAMPLES, "resources", type_name, "iam-actions.txt"),
                         "this resource")
    lines += identity_section(type_name, identity)
    imp = os.path.join(EXAMPLES, "resources", type_name, "import.sh")
    if os.path.exists(imp):
        lines += ["## Import", "", "By id, with every client:", "", "```shell", read(imp), "```",
                  ""]
    return short, "\n".join(lines).rstrip() + "\n"


def render_data_source(type_name, schema):
    short = type_name[len("lsms_"):]
    block = schema["block"]
    lines = front_matter(type_name, "Data Source", first_sentence(block.get("description")))
    lines += [f"# {type_name} (Data Source)", ""]
    lines += deprecation_lines(block, "data source")
    lines += [" ".join((block.get("description") or "").split()), ""]
    lines += example_section(os.path.join(EXAMPLES, "data-sources", type_name, "data-source.tf"),
                             "terraform")
    lines += ["## Schema", ""]
    render_block(block, lines)
    lines += notes_section("data-sources", short)
    lines += iam_section(os.path.join(EXAMPLES, "data-sources", type_name, "iam-actions.txt"),
                         "this data source")
    return short, "\n".join(lines).rstrip() + "\n"


def render_list_resource(type_name, schema):
    short = type_name[len("lsms_"):]
    block = schema["block"]
    lines = front_matter(type_name, "List Resource", first_sentence(block.get("description")))
    lines += [f"# {type_name} (List Resource)", ""]
    lines += deprecation_lines(block, "list resource")
    lines += [" ".join((block.get("description") or "").split()), "",
              f"Used in a `list` block of a `.tfquery.hcl` file with `terraform query` "
              f"(Terraform 1.14+): each object found is shown with its identity; "
              f"`terraform query -generate-config-out=FILE` writes an `{type_name}` resource "
              "block and an `import` block (by identity) for each, which plan as imports only.",
              ""]
    lines += example_section(os.path.join(EXAMPLES, "list-resources", type_name,
                                          "list-resource.tfquery.hcl"), "terraform")
    required = any(a.get("required") for a in (block.get("attributes") or {}).values())
    lines += ["## Schema", "",
              "The arguments of the `config` block (required: it holds a required argument)."
              if required else
              "The arguments of the `config` block (all optional: without them, everything "
              "the provider's account and region hold).", ""]
    render_block(block, lines, anchor_prefix="config.")
    lines += notes_section("list-resources", short)
    lines += iam_section(os.path.join(EXAMPLES, "list-resources", type_name, "iam-actions.txt"),
                         "this list resource (with the generated configuration: also the "
                         "resource's read)")
    return short, "\n".join(lines).rstrip() + "\n"


def render_action(type_name, schema):
    short = type_name[len("lsms_"):]
    block = schema["block"]
    lines = front_matter(type_name, "Action", first_sentence(block.get("description")))
    lines += [f"# {type_name} (Action)", "",
              " ".join((block.get("description") or "").split()), "",
              "Invoked with `terraform apply -invoke=action." + type_name + ".<name>`, or from "
              "a resource's `lifecycle { action_trigger { ... } }` (Terraform 1.14+). Progress "
              "is reported as it happens.", ""]
    lines += example_section(os.path.join(EXAMPLES, "actions", type_name, "action.tf"),
                             "terraform")
    lines += ["## Schema", "", "The arguments of the `config` block.", ""]
    render_block(block, lines, anchor_prefix="config.")
    lines += notes_section("actions", short)
    lines += iam_section(os.path.join(EXAMPLES, "actions", type_name, "iam-actions.txt"),
                         "this action")
    return short, "\n".join(lines).rstrip() + "\n"


def render_function(name, fn):
    params = fn.get("parameters", [])
    variadic = fn.get("variadic_parameter")
    sig = ", ".join(f"{p['name']} {type_text(p['type'])}" for p in params)
    if variadic:
        sig += (", " if sig else "") + f"{variadic['name']} ...{type_text(variadic['type'])}"
    lines = front_matter(name, "Function", fn.get("summary", ""))
    lines += [f"# {name} (Function)", "", " ".join((fn.get("description") or "").split()), ""]
    lines += example_section(os.path.join(EXAMPLES, "functions", name, "function.tf"),
                             "terraform")
    lines += ["## Signature", "", "```text",
              f"{name}({sig}) {type_text(fn['return_type'])}", "```", "",
              f"Called as `provider::lsms::{name}(...)` (Terraform 1.8+, OpenTofu 1.7+); it needs "
              "no provider configuration and calls no AWS API.", "", "## Arguments", ""]
    for i, p in enumerate(params, 1):
        lines.append(f"{i}. `{p['name']}` ({type_text(p['type'])}) "
                     f"{' '.join((p.get('description') or '').split())}")
    if variadic:
        lines.append(f"{len(params) + 1}. `{variadic['name']}` (variadic, "
                     f"{type_text(variadic['type'])}) "
                     f"{' '.join((variadic.get('description') or '').split())}")
    lines.append("")
    lines += notes_section("functions", name)
    return name, "\n".join(lines).rstrip() + "\n"


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


def index_list(title, kind, names, strip=True):
    if not names:
        return []
    lines = ["", f"## {title}", ""]
    lines += [f"- [`{n}`]({kind}/{n[len('lsms_'):] if strip else n}.md)" for n in names]
    return lines


def render_index(provider_schema, resource_names, data_sources=(), functions=(), lists=(),
                 actions=()):
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
    lines += index_list("Data Sources", "data-sources", data_sources)
    lines += index_list("Functions", "functions", functions, strip=False)
    lines += index_list("List Resources (terraform query)", "list-resources", lists)
    lines += index_list("Actions", "actions", actions)
    guides = guide_names()
    if guides:
        lines += ["", "## Guides", ""]
        lines += [f"- [{guide_title(g)}](guides/{g}.md)" for g in guides]
    lines += ["", "## Schema", ""]
    render_block(provider_schema["block"], lines)
    all_actions = set()
    iam_lists = [os.path.join(EXAMPLES, "provider", "iam-actions.txt")]
    iam_lists += [os.path.join(EXAMPLES, "resources", n, "iam-actions.txt") for n in resource_names]
    iam_lists += [os.path.join(EXAMPLES, "data-sources", n, "iam-actions.txt") for n in data_sources]
    iam_lists += [os.path.join(EXAMPLES, "list-resources", n, "iam-actions.txt") for n in lists]
    iam_lists += [os.path.join(EXAMPLES, "actions", n, "iam-actions.txt") for n in actions]
    for p in iam_lists:
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


def write_pages(out_dir, kind, items, render):
    if not items:
        return
    os.makedirs(os.path.join(out_dir, kind), exist_ok=True)
    for name in sorted(items):
        short, text = render(name, items[name])
        with open(os.path.join(out_dir, kind, f"{short}.md"), "w") as f:
            f.write(text)


def main():
    schema_path, out_dir = sys.argv[1], sys.argv[2]
    with open(schema_path) as f:
        schema = json.load(f)
    (provider,) = [v for k, v in schema["provider_schemas"].items() if k.endswith("/lsms/lsms")]
    resources = provider["resource_schemas"]
    identities = provider.get("resource_identity_schemas", {})
    data_sources = provider.get("data_source_schemas", {})
    functions = provider.get("functions", {})
    lists = provider.get("list_resource_schemas", {})
    actions = provider.get("action_schemas", {})
    write_pages(out_dir, "resources", resources,
                lambda n, s: render_resource(n, s, identities.get(n)))
    write_pages(out_dir, "data-sources", data_sources, render_data_source)
    write_pages(out_dir, "functions", functions, render_function)
    write_pages(out_dir, "list-resources", lists, render_list_resource)
    write_pages(out_dir, "actions", actions, render_action)
    with open(os.path.join(out_dir, "index.md"), "w") as f:
        f.write(render_index(provider["provider"], sorted(resources), sorted(data_sources),
                             sorted(functions), sorted(lists), sorted(actions)))
    guides = guide_names()
    if guides:
        os.makedirs(os.path.join(out_dir, "guides"), exist_ok=True)
    for g in guides:
        with open(os.path.join(out_dir, "guides", f"{g}.md"), "w") as f:
            f.write(read(os.path.join(TEMPLATES, "guides", f"{g}.md")) + "\n")


if __name__ == "__main__":
    main()
