"""Bundle crypto speed: seal and open against raw AES-256-GCM on the same bytes.

    python benchmarks/bench_bundle_crypto.py [--quick]

The workload is like the assessments of a whole inspection: 400 cases × 80 answers as JSON
(about 25 MB) in 20 payloads, each sealed for 3 recipients and opened by one. The baseline,
measured in the same run, is one-shot AES-256-GCM encryption and decryption of the same payloads
with no chunking, key wrapping or signature. Ed25519 over the same bytes is shown on its own,
since signing every byte is most of the difference. Without --quick it also times one bundle
near the 200 MB limit and reports the peak memory it took.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import time
from collections.abc import Callable

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from hmip_desktop.bundles import (
    KIND_ASSESSMENTS,
    Recipient,
    Sender,
    key_id,
    open_sealed,
    seal,
)

NOTE_TEXT = (
    "the person on probation engaged well with supervision although risk of serious harm was "
    "not reviewed after the arrest and the plan did not address domestic abuse or substance "
    "misuse; contact with partner agencies was limited and safeguarding checks were late"
)
WORDS = NOTE_TEXT.split()


def payloads(cases: int, answers: int, count: int) -> list[bytes]:
    rng = random.Random(2025)
    per = cases // count
    out = []
    for p in range(count):
        rows = [
            {
                "case": f"C-{p * per + c:04d}",
                "item": f"{1 + a // 20}.{1 + a % 20}",
                "answer": rng.choice(["yes", "no", "n/a", "partly"]),
                "note": " ".join(rng.choices(WORDS, k=110)),
            }
            for c in range(per)
            for a in range(answers)
        ]
        out.append(json.dumps(rows).encode())
    return out


def best(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        work()
        times.append(time.perf_counter() - t)
    return min(times)


def person(seed: int) -> tuple[Ed25519PrivateKey, X25519PrivateKey, bytes]:
    sign = Ed25519PrivateKey.from_private_bytes(bytes([seed]) * 32)
    kem = X25519PrivateKey.from_private_bytes(bytes([seed + 100]) * 32)
    kid = key_id(sign.public_key().public_bytes_raw(), kem.public_key().public_bytes_raw())
    return sign, kem, kid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 payloads, ~2.5 MB, one run")
    args = parser.parse_args()
    count, runs = (2, 1) if args.quick else (20, 3)
    data = payloads(cases=20 * count, answers=80, count=count)
    total = sum(map(len, data))

    lead_sign, _lead_kem, lead_id = person(1)
    people = [person(n) for n in (2, 3, 4)]
    sender = Sender(lead_id, lead_sign)
    recipients = [Recipient(kid, kem.public_key()) for _s, kem, kid in people]
    trusted = {lead_id: lead_sign.public_key()}
    _s, my_kem, my_id = people[0]

    def seal_all() -> list[bytes]:
        return [
            seal(KIND_ASSESSMENTS, p, sender=sender, recipients=recipients,
                 inspection_id="BENCH-1", sequence=i + 1)
            for i, p in enumerate(data)
        ]

    sealed = seal_all()
    assert [open_sealed(b, my_key_id=my_id, my_private_key=my_kem, trusted_senders=trusted)[1]
            for b in sealed] == data

    def open_all() -> None:
        for b in sealed:
            open_sealed(b, my_key_id=my_id, my_private_key=my_kem, trusted_senders=trusted)

    key = AESGCM.generate_key(bit_length=256)
    nonces = [os.urandom(12) for _ in data]
    raw = [AESGCM(key).encrypt(n, p, None) for n, p in zip(nonces, data, strict=True)]
    signatures = [lead_sign.sign(b) for b in sealed]

    t_seal = best(runs, seal_all)
    t_open = best(runs, open_all)
    t_enc = best(runs, lambda: [AESGCM(key).encrypt(n, p, None)
                                for n, p in zip(nonces, data, strict=True)])
    t_dec = best(runs, lambda: [AESGCM(key).decrypt(n, c, None)
                                for n, c in zip(nonces, raw, strict=True)])
    t_sign = best(runs, lambda: [lead_sign.sign(b) for b in sealed])
    pub = lead_sign.public_key()
    t_verify = best(runs, lambda: [pub.verify(s, b)
                                   for s, b in zip(signatures, sealed, strict=True)])

    mb = total / 1e6
    print(f"{count} payloads, {mb:.1f} MB of JSON, 3 recipients, best of {runs}")
    print(f"  seal            {t_seal * 1000:8.1f} ms  ({mb / t_seal:6.0f} MB/s)")
    print(f"  open            {t_open * 1000:8.1f} ms  ({mb / t_open:6.0f} MB/s)")
    print(f"  raw AES-GCM enc {t_enc * 1000:8.1f} ms  ({mb / t_enc:6.0f} MB/s)")
    print(f"  raw AES-GCM dec {t_dec * 1000:8.1f} ms  ({mb / t_dec:6.0f} MB/s)")
    print(f"  Ed25519 sign    {t_sign * 1000:8.1f} ms  (part of seal)")
    print(f"  Ed25519 verify  {t_verify * 1000:8.1f} ms  (part of open)")
    print(f"  ratio seal / raw encrypt {t_seal / t_enc:5.1f}×; open / raw decrypt "
          f"{t_open / t_dec:5.1f}×; per payload {1000 * (t_seal + t_open) / count:.1f} ms "
          "to seal and open")

    if not args.quick:
        del sealed, raw, data
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        big = random.Random(1).randbytes(190 * 1024 * 1024)
        t = time.perf_counter()
        bundle = seal(KIND_ASSESSMENTS, big, sender=sender, recipients=recipients,
                      inspection_id="BENCH-1", sequence=99)
        t_big_seal = time.perf_counter() - t
        t = time.perf_counter()
        _h, opened = open_sealed(bundle, my_key_id=my_id, my_private_key=my_kem,
                                 trusted_senders=trusted)
        t_big_open = time.perf_counter() - t
        assert opened == big
        peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        print(f"one 190 MiB bundle: seal {t_big_seal:.2f} s, open {t_big_open:.2f} s, "
              f"peak memory +{peak:.0f} MiB (payload, bundle and opened copy included)")


if __name__ == "__main__":
    main()
