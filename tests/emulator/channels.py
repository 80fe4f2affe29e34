"""Channels the emulator's media plane can run, for the emulator's tests.

A started channel really encodes (lsms_emulator/media), so a test that
starts one gives it what MediaLive needs: encoder settings (the seed
solution's own encoding profiles, ../shared/reference/encoding-profiles,
the settings lsms_channel sends), a role MediaLive may assume, and an
input. `channel_kwargs` returns the CreateChannel parameters for boto3.
"""

import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
PROFILES = os.path.join(HERE, "..", "..", "..", "shared", "reference", "encoding-profiles")
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                                                 "Principal": {"Service": "medialive.amazonaws.com"},
                                                 "Action": "sts:AssumeRole"}]}


def encoder_settings(profile="sd-540p", destination_id="destination1", s3=True, outputs=None, **hls):
    """The seed's EncoderSettings for `profile` (boto3 member names), its
    HLS group writing to `destination_id`, with the S3 CDN settings when
    `s3`, `hls` overriding HlsGroupSettings members, and only the lowest
    `outputs` renditions when given (the 288p rung alone costs a tenth of
    the SD ladder's CPU: for tests that are not about the ladder)."""
    with open(os.path.join(PROFILES, f"{profile}.json")) as f:
        enc = json.load(f)
    if outputs is not None:
        def width(name):
            return int(name.strip("_").split("x")[0])
        group_outputs = enc["OutputGroups"][0]["Outputs"]
        group_outputs.sort(key=lambda o: width(o["OutputSettings"]["HlsOutputSettings"]["NameModifier"]))
        del group_outputs[outputs:]
        keep_video = {o["VideoDescriptionName"] for o in group_outputs}
        keep_audio = {a for o in group_outputs for a in o["AudioDescriptionNames"]}
        enc["VideoDescriptions"] = [v for v in enc["VideoDescriptions"] if v["Name"] in keep_video]
        enc["AudioDescriptions"] = [a for a in enc["AudioDescriptions"] if a["Name"] in keep_audio]
    group = enc["OutputGroups"][0]["OutputGroupSettings"]["HlsGroupSettings"]
    group["Destination"] = {"DestinationRefId": destination_id}
    if s3:
        group["HlsCdnSettings"] = {"HlsS3Settings": {}}
    group.update(hls)
    return enc


def medialive_role(emulator, name, statements, trust=TRUST):
    """A role MediaLive may assume, allowed `statements`; returns its ARN."""
    iam = emulator.client("iam")
    arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    iam.put_role_policy(RoleName=name, PolicyName="medialive",
                        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": statements}))
    return arn


def s3_writer(bucket, prefix="stream"):
    """The statements MediaLive's S3 output needs (the S3 solution's role)."""
    return [{"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
             "Resource": f"arn:aws:s3:::{bucket}/{prefix}/*"}]


def channel_kwargs(emulator, name, input_id, urls, channel_class="SINGLE_PIPELINE", role_arn=None,
                   profile="sd-540p", destination_id="dest", outputs=None, **hls):
    """CreateChannel parameters of a channel the media plane can run."""
    if role_arn is None:
        role_arn = medialive_role(emulator, f"ml-{name}", [{"Effect": "Allow", "Action": "s3:*",
                                                           "Resource": "*"}])
    return {
        "Name": name, "ChannelClass": channel_class, "RoleArn": role_arn,
        "Destinations": [{"Id": destination_id, "Settings": [{"Url": u} for u in urls]}],
        "InputAttachments": [{"InputId": input_id, "InputAttachmentName": "a"}],
        "EncoderSettings": encoder_settings(profile, destination_id, outputs=outputs, **hls),
    }
