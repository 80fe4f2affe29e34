"""Push inputs: the endpoints RTMP_PUSH and RTP_PUSH inputs listen on.

MediaLive gives a push input one endpoint per pipeline (two for a
standard-class input) and accepts a sender only from the CIDR blocks of the
input's security groups ("The input security group ... identifies the IP
addresses that are allowed to push content to the input", MediaLive user
guide, input security groups). Here each endpoint is a socket on 127.0.0.1
at a port the operating system chooses when the input is created; the
input's destinations name it (rtmp://127.0.0.1:<port>/<app>/<instance>,
rtp://127.0.0.1:<port>), which is what `medialive_push_endpoints` prints.

- RTMP: a TCP listener. A connection from an address outside every CIDR of
  the input's security groups is closed at once, before the RTMP handshake;
  an allowed one is handed to the pipeline that reads this endpoint, whose
  ffmpeg then receives it (the bytes are relayed unchanged). No pipeline
  running: the connection is closed (the channel is not running).
- RTP: a UDP socket. Datagrams from outside the CIDRs are dropped; RTP
  headers are checked (version 2, payload type 33, MPEG-2 TS, RFC 3551) and
  the transport stream is relayed to the pipeline's ffmpeg.

The groups are read on every connection (TCP) or every second (UDP), so an
UpdateInputSecurityGroup applies to the next sender.
"""

import ipaddress
import socket
import threading
import time


class Endpoint:
    """One push endpoint of an input (one pipeline's)."""

    def __init__(self, kind, index, stream_name, allowed_cidrs, log):
        self.kind = kind  # "RTMP_PUSH" | "RTP_PUSH"
        self.index = index
        self.stream_name = stream_name or ""
        self.allowed_cidrs = allowed_cidrs  # callable -> [cidr strings]
        self.log = log
        self.pipeline = None  # set by a running pipeline
        self.refused = []  # (time, address) of senders refused
        self.closed = False
        if kind == "RTMP_PUSH":
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.sock.bind(("127.0.0.1", 0))
            self.sock.listen(4)
        else:
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            self.sock.bind(("127.0.0.1", 0))
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        self.port = self.sock.getsockname()[1]
        self.last_packet = 0.0
        self.relay_port = None  # UDP: where the pipeline's ffmpeg listens
        self._cidr_cache = (0.0, [])
        self.thread = threading.Thread(target=self._serve, name=f"push {kind} :{self.port}", daemon=True)
        self.thread.start()

    @property
    def url(self):
        if self.kind == "RTMP_PUSH":
            return f"rtmp://127.0.0.1:{self.port}/{self.stream_name}"
        return f"rtp://127.0.0.1:{self.port}"

    def _networks(self):
        at, nets = self._cidr_cache
        if time.monotonic() - at > 1.0:
            nets = []
            for cidr in self.allowed_cidrs():
                try:
                    nets.append(ipaddress.ip_network(cidr, strict=False))
                except ValueError:
                    continue
            self._cidr_cache = (time.monotonic(), nets)
        return nets

    def allows(self, address, fresh=False):
        if fresh:
            self._cidr_cache = (0.0, [])
        ip = ipaddress.ip_address(address)
        return any(ip in net for net in self._networks() if net.version == ip.version)

    def close(self):
        self.closed = True
        try:
            self.sock.close()
        except OSError:
            pass

    def _serve(self):
        try:
            if self.kind == "RTMP_PUSH":
                self._serve_tcp()
            else:
                self._serve_udp()
        except OSError:
            pass  # closed

    def _serve_tcp(self):
        while not self.closed:
            conn, (address, port) = self.sock.accept()
            if not self.allows(address, fresh=True):
                self.refused.append((time.time(), address))
                self.log(f"push endpoint {self.url}: refused {address}:{port}, outside the input "
                         "security group's CIDR blocks")
                conn.close()
                continue
            pipeline = self.pipeline
            if pipeline is None or not pipeline.offer_publisher(self, conn, address):
                self.log(f"push endpoint {self.url}: {address}:{port} closed, no running pipeline reads it")
                conn.close()

    def _serve_udp(self):
        relay = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        warned = set()
        while not self.closed:
            data, (address, port) = self.sock.recvfrom(65536)
            if not self.allows(address):
                if address not in warned:
                    warned.add(address)
                    self.refused.append((time.time(), address))
                    self.log(f"push endpoint {self.url}: dropping datagrams from {address}, outside the "
                             "input security group's CIDR blocks")
                continue
            if len(data) < 12 or data[0] >> 6 != 2 or (data[1] & 0x7F) != 33:
                pipeline = self.pipeline
                if pipeline is not None:
                    pipeline.set_alert("5304", "RTP Header Corruption",
                                       f"Packets received on {self.url} from {address} do not conform to "
                                       "RTP with an MPEG-2 transport stream payload (type 33)")
                continue
            self.last_packet = time.monotonic()
            csrc = data[0] & 0x0F
            offset = 12 + 4 * csrc
            if data[0] & 0x10 and len(data) >= offset + 4:  # header extension
                offset += 4 + 4 * int.from_bytes(data[offset + 2:offset + 4], "big")
            target = self.relay_port
            if target:
                try:
                    relay.sendto(data[offset:], ("127.0.0.1", target))
                except OSError:
                    pass


def pipe(a, b):
    """Relays bytes between two sockets until either side closes."""
    def one_way(src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    t1 = threading.Thread(target=one_way, args=(a, b), daemon=True)
    t2 = threading.Thread(target=one_way, args=(b, a), daemon=True)
    t1.start()
    t2.start()
    return t1, t2
