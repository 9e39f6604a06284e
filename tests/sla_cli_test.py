#!/usr/bin/env python3
"""The SLA on the command line, end to end: `tandem sla`, `tandem action` and `tandem queue` on
a small demo company, directly on the store and beside a running server.
Usage: sla_cli_test.py PATH_TO_TANDEM"""
import datetime
import json
import os
import shutil
import sys
import tempfile
import unittest

import process_test
from process_test import Tandem, call, free_port

ADMIN = "admin@tandem.demo"
MARKETING = "priya.shah@tandem.demo"
SALES_MANAGER = "katrin.vogel@tandem.demo"
LEAD = "lena.hoffmann@example.org"  # asks for a demo today: a hand_raiser lead for Sales EMEA


def write(directory, name, text):
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def build_template():
    """A demo company of 100 people plus one fresh hand-raiser, built once and copied per test."""
    t = Tandem()
    t.run("demo", "--people", "100", "--seed", "7")
    people = write(t.dir, "people.csv",
                   f"email,first_name,last_name,country\n{LEAD},Lena,Hoffmann,DE\n")
    t.run("import", "people", people)
    asked = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)
    activities = write(t.dir, "activities.csv",
                       "id,type,email,occurred_at\n"
                       f"demo-1,demo_request,{LEAD},{asked.strftime('%Y-%m-%dT%H:%M:%SZ')}\n")
    t.run("import", "activities", activities)
    return t


class SlaCliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.template = build_template()

    @classmethod
    def tearDownClass(cls):
        cls.template.close()

    def setUp(self):
        self.t = Tandem()
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(self.template.db + suffix):
                shutil.copy(self.template.db + suffix, self.t.db + suffix)

    def tearDown(self):
        self.t.close()

    def act(self, *args, user=ADMIN, check=True):
        return self.t.run("action", LEAD, *args, "--user", user, check=check)

    def outcome(self, *args):
        return json.loads(self.act(*args, "--json").stdout)

    # --- tandem action and tandem queue ---

    def test_queue_lists_the_reps_open_leads_with_their_next_clock(self):
        owner = self.outcome("accept")["owner"]
        listing = self.t.run("queue", "--owner", str(owner)).stdout.splitlines()
        self.assertEqual(listing[0].split(), ["PERSON", "NAME", "LEAD_TYPE", "STAGE", "NEXT",
                                              "ATTEMPTS", "CHANNELS"])
        row = next(line for line in listing if "Lena Hoffmann" in line)
        self.assertRegex(row, r"hand_raiser +sal +first_touch (due in|.* late)")
        self.assertRegex(row, r" 0/6 +0/2$")
        items = json.loads(self.t.run("queue", "--owner", str(owner), "--json").stdout)["items"]
        lead = next(i for i in items if i["person"]["email"] == LEAD)
        self.assertEqual(lead["lead_type"], "hand_raiser")
        self.assertTrue(lead["accepted"])
        self.assertEqual([c["clock"] for c in lead["clocks"]][:2], ["accept", "first_touch"])
        dues = [i["next_due"] for i in items if i["next_due"]]
        self.assertEqual(dues, sorted(dues), "earliest due first")

    def test_queue_without_owner_is_bad_usage(self):
        r = self.t.run("queue", check=False)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--owner", r.stderr)

    def test_premature_recycle_is_refused_with_each_missing_requirement(self):
        self.act("attempt", "--channel", "call", "--outcome", "no_answer")
        r = self.act("recycle", "--reason", "no_response", check=False)
        self.assertEqual(r.returncode, 1, r.stderr)
        lines = [line.strip() for line in r.stderr.splitlines()]
        self.assertIn("attempts: the SLA (lead type hand_raiser) requires 6 contact attempts "
                      "before a recycle; 1 made", lines)
        self.assertIn("channels: the SLA requires attempts on 2 channels; made on 1 (call)", lines)

    def test_recycle_succeeds_once_the_attempts_are_made(self):
        for channel in ("call", "email", "call", "social", "call"):
            self.act("attempt", "--channel", channel)
        out = self.act("attempt", "--channel", "email").stdout
        self.assertRegex(out, r"^person \d+: attempt recorded \(seq \d+\); stage mql, owner \d+, "
                              r"attempts 6/6, channels 3/2\n$")
        done = self.outcome("recycle", "--reason", "no_response", "--note", "six tries")
        self.assertEqual(done["action"], "recycle")
        self.assertEqual(done["stage"], "recycled")
        self.assertIsNone(done["lead"])
        items = json.loads(self.t.run("queue", "--owner", str(done["owner"]), "--json").stdout)
        self.assertNotIn(LEAD, [i["person"]["email"] for i in items["items"]])

    def test_bad_usage_exits_2(self):
        for args in (["explode"], ["attempt", "--channel", "pigeon"], ["accept", "--at", "soon"]):
            r = self.act(*args, check=False)
            self.assertEqual(r.returncode, 2, args)
        self.assertEqual(self.t.run("action", LEAD, "accept", check=False).returncode, 2)
        self.assertEqual(self.t.run("action", LEAD, "--user", ADMIN, check=False).returncode, 2)

    def test_a_missing_field_is_a_refusal(self):
        r = self.act("attempt", check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("channel: an attempt needs a channel", r.stderr)

    def test_qualify_needs_the_facts_the_sla_asks_for(self):
        r = self.act("qualify", "--field", "budget=lots", check=False)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("fields.need: required by the SLA to qualify", r.stderr)
        self.assertIn("fields.budget: 'lots' is not one of: approved, expected, none", r.stderr)
        self.assertEqual(self.act("qualify", "--field", "budget", check=False).returncode, 2)
        done = self.outcome("qualify", "--field", "need=One list for both teams",
                            "--field", "budget=approved", "--field", "timeline=this_quarter")
        self.assertEqual(done["stage"], "sql")

    def test_outbox_lists_the_demo_escalations(self):
        items = json.loads(self.t.run("outbox", "--json").stdout)
        self.assertTrue(any(m["event"] == "sla_breached" and m["channel"] == "email"
                            for m in items), items[:3])
        listing = self.t.run("outbox", "--status", "pending").stdout.splitlines()
        self.assertRegex(listing[-1], r"^\d+ messages?$")
        self.assertEqual(self.t.run("outbox", "--status", "lost", check=False).returncode, 2)

    # --- tandem sla ---

    def test_sla_show_prints_the_active_toml_and_json(self):
        r = self.t.run("sla", "show")
        self.assertIn("[[lead_types]]", r.stdout)
        self.assertRegex(r.stderr, r"^# SLA version 1 \(.*\) is active")
        self.assertEqual(self.t.run("sla", "show", "--toml").stderr, "")
        v = json.loads(self.t.run("sla", "show", "--json").stdout)
        self.assertEqual((v["version"], v["status"]), (1, "active"))
        self.assertEqual(v["toml"], r.stdout)
        self.assertIn("hand_raiser", [t["id"] for t in v["document"]["lead_types"]])

    def test_sla_propose_refuses_a_bad_file_by_line_and_key_and_approves_a_good_one(self):
        text = self.t.run("sla", "show", "--toml").stdout
        bad = write(self.t.dir, "bad.toml", "bogus = 1\n" + text)
        r = self.t.run("sla", "propose", bad, "--user", MARKETING, check=False)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertRegex(r.stderr, r"\n  line 1, bogus: unknown key")
        self.assertIn('name = "Default SLA"', text)
        good = write(self.t.dir, "good.toml",
                     text.replace('name = "Default SLA"', 'name = "Tighter SLA"', 1))
        out = self.t.run("sla", "propose", good, "--if-match", "1", "--user", MARKETING).stdout
        self.assertRegex(out, r"^SLA version 2 \(Tighter SLA\) is draft \(marketing")
        stale = self.t.run("sla", "propose", good, "--if-match", "1", "--user", MARKETING,
                           check=False)
        self.assertEqual(stale.returncode, 1)
        self.t.run("sla", "approve", "2", "--user", MARKETING)
        out = self.t.run("sla", "approve", "2", "--user", SALES_MANAGER).stdout
        self.assertRegex(out, r"^SLA version 2 .* is active \(marketing user \d+, sales user \d+\)")
        listing = self.t.run("sla", "versions").stdout.splitlines()
        self.assertEqual(listing[0].split()[:2], ["VERSION", "STATUS"])
        self.assertEqual([line.split()[:2] for line in listing[1:]],
                         [["2", "active"], ["1", "superseded"]])
        versions = json.loads(self.t.run("sla", "versions", "--json").stdout)["items"]
        self.assertEqual([v["version"] for v in versions], [2, 1])

    def test_sla_propose_needs_a_user_without_url(self):
        path = write(self.t.dir, "x.toml", "name = 'x'\n")
        r = self.t.run("sla", "propose", path, check=False)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--user", r.stderr)

    # --- beside a running server ---

    def test_on_a_held_store_action_says_so_and_works_through_the_api(self):
        admin = self.t.token(ADMIN, "admin")
        port = free_port()
        self.t.serve(port)
        r = self.act("attempt", "--channel", "call", check=False)
        self.assertEqual(r.returncode, 3)
        self.assertIn("held by server", r.stderr)
        self.assertIn("--url", r.stderr)
        self.assertEqual(self.t.run("queue", "--owner", ADMIN, check=False).returncode, 3)
        url = f"http://127.0.0.1:{port}"
        if call(port, "GET", "/api/v1/queue?owner=me", admin)[0] == 404:
            self.skipTest("the server has no /api/v1/queue yet")
        remote = ["--url", url, "--token", admin]
        out = json.loads(self.t.run("action", LEAD, "attempt", "--channel", "call", "--json",
                                    *remote).stdout)
        self.assertEqual(out["action"], "attempt")
        self.assertEqual(out["lead"]["attempts"], 1)
        r = self.t.run("action", LEAD, "recycle", "--reason", "no_response", *remote, check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("attempts: the SLA (lead type hand_raiser) requires 6", r.stderr)
        items = json.loads(self.t.run("queue", "--owner", str(out["owner"]), "--json",
                                      *remote).stdout)["items"]
        self.assertIn(LEAD, [i["person"]["email"] for i in items])
        self.assertIn("[[lead_types]]", self.t.run("sla", "show", *remote).stdout)


if __name__ == "__main__":
    process_test.TANDEM = os.path.abspath(sys.argv.pop(1))
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
