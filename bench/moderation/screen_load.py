"""Load for a running agora-moderation (deploy/up): Screen calls with 2 KB
posts from several client threads, for a fixed count, then the service's own
latency histogram (grpc_server_handling_seconds, measured inside the service
by its interceptor) read from /metrics. Uses Debian's python3-grpcio and the
stubs in build/release/gen/python.

  PYTHONPATH=build/release/gen/python /usr/bin/python3 bench/moderation/screen_load.py \
      --token "$(build/release/tools/devtoken/agora-devtoken --key=.local/dev-signing-key.pem \
                 --subject=content --roles=service --scopes=moderation.screen)"
"""
import argparse
import concurrent.futures
import re
import time
import urllib.request
import uuid
from random import Random

import grpc
from agora.common.v1 import common_pb2 as common
from agora.moderation.v1 import moderation_pb2 as m
from agora.moderation.v1 import moderation_pb2_grpc as mg

# Posts differ from one another as real ones do (identical bodies would all be
# held as near-duplicates): 2 KB drawn from varied sentences, one card number,
# one e-mail address and one link each.
WORDS = ("compte carte virement épargne livret frais paiement agence conseiller "
         "application prêt taux assurance chéquier retrait plafond découvert "
         "remboursement crédit opposition relevé banque mobile contact délai").split()


def body(random):
    sentences = [
        "Ma carte 4970 1012 3456 7893 a été refusée hier pour 1 234,56 €.",
        "Écrivez-moi à jean.dupont@example.org si besoin.",
        "La page https://www.banque-exemple.fr/aide ne m'a pas aidé.",
    ]
    while sum(len(x) for x in sentences) < 2048:
        sentences.append(" ".join(random.choice(WORDS) for _ in range(12)).capitalize() + ".")
    random.shuffle(sentences)
    return " ".join(sentences)[:2048]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--address", default="127.0.0.1:50054")
    parser.add_argument("--metrics", default="http://127.0.0.1:51054/metrics")
    parser.add_argument("--token", required=True)
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    channel = grpc.insecure_channel(args.address)
    stub = mg.ModerationServiceStub(channel)
    metadata = [("authorization", "Bearer " + args.token)]

    def call(i):
        random = Random(i)
        request = m.ScreenRequest(
            parent="tenants/fr",
            target=common.TargetRef(name=f"tenants/fr/posts/load-{uuid.uuid4().hex[:12]}",
                                    kind=common.CONTENT_KIND_QUESTION),
            author=f"tenants/fr/members/load-{i % 500}",
            author_trust_level=common.TRUST_LEVEL_MEMBER, language="fr",
            title="Paiement refusé", body=body(random), request_id=str(uuid.uuid4()))
        stub.Screen(request, metadata=metadata, timeout=5)

    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(args.threads) as pool:
        list(pool.map(call, range(args.calls)))
    elapsed = time.monotonic() - start
    print(f"{args.calls} Screen calls, {args.threads} client threads: "
          f"{args.calls / elapsed:.0f} calls/s seen by the client")

    text = urllib.request.urlopen(args.metrics).read().decode()
    method = "/agora.moderation.v1.ModerationService/Screen"
    buckets = []
    for line in text.splitlines():
        match = re.match(r'grpc_server_handling_seconds_bucket\{grpc_method="([^"]+)",'
                         r'le="([^"]+)"\} (\d+)', line)
        if match and match.group(1) == method:
            buckets.append((float("inf") if match.group(2) == "+Inf" else float(match.group(2)),
                            int(match.group(3))))
    total = buckets[-1][1]
    for quantile in (0.5, 0.95, 0.99):
        bound = next(b for b, count in buckets if count >= quantile * total)
        print(f"inside the service: p{int(quantile * 100)} <= {bound * 1000:g} ms "
              f"(histogram bucket bound, {total} calls)")


if __name__ == "__main__":
    main()
