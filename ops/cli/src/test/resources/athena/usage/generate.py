#!/usr/bin/env python3
"""Writes conversation.jsonl: the Athena and CloudTrail requests `tributary athena usage` must send
for AthenaUsageTest's window, in order, each with the response the endpoint answers. Shapes follow
the AWS API reference (Athena ListWorkGroups, ListQueryExecutions, BatchGetQueryExecution; CloudTrail
LookupEvents; JSON 1.1, epoch-second timestamps). Also prints the report's expected figures, computed
here independently of the Java code. Run: python3 generate.py > expected.txt"""
import json, math, uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal, ROUND_HALF_UP

UTC = timezone.utc
FROM = datetime(2026, 11, 1, tzinfo=UTC)
TO = datetime(2026, 11, 8, tzinfo=UTC)
ACCOUNT = "111122223333"
USERS = {
    "alice": {"type": "IAMUser", "arn": f"arn:aws:iam::{ACCOUNT}:user/alice", "name": "alice"},
    "bob": {"type": "AssumedRole", "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/Analyst/bob", "name": "bob"},
    "quicksight": {"type": "AssumedRole",
                   "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/aws-quicksight-service-role-v0/QuickSight-1762000000",
                   "name": "QuickSight-1762000000"},
}
MIB, TIB = 1 << 20, 1 << 40


def ts(t):
    return int(t.timestamp()) if t.microsecond == 0 else round(t.timestamp(), 3)


def qid(name):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "tributary-test/" + name))


def execution(q):
    e = {"QueryExecutionId": q["id"], "Query": q["sql"], "StatementType": q["type"],
         "ResultConfiguration": {"OutputLocation": f"s3://athena-results-{ACCOUNT}/{q['wg']}/{q['id']}.csv"},
         "ResultReuseConfiguration": {"ResultReuseByAgeConfiguration": {"Enabled": False}},
         "QueryExecutionContext": {"Catalog": "AwsDataCatalog"},
         "Status": {"State": q["state"], "SubmissionDateTime": ts(q["submitted"])},
         "Statistics": {"EngineExecutionTimeInMillis": q["engine"], "DataScannedInBytes": q["bytes"],
                        "TotalExecutionTimeInMillis": q["engine"] + 250, "QueryQueueTimeInMillis": 120,
                        "ServicePreProcessingTimeInMillis": 30, "QueryPlanningTimeInMillis": 80,
                        "ServiceProcessingTimeInMillis": 20, "ResultReuseInformation": {"ReusedPreviousResult": False}},
         "WorkGroup": q["wg"],
         "EngineVersion": {"SelectedEngineVersion": "AUTO", "EffectiveEngineVersion": "Athena engine version 3"},
         "SubstatementType": "SELECT" if q["type"] == "DML" else "CREATE_TABLE"}
    if q["db"]:
        e["QueryExecutionContext"]["Database"] = q["db"]
    if q["state"] not in ("RUNNING", "QUEUED"):
        e["Status"]["CompletionDateTime"] = ts(q["submitted"] + timedelta(milliseconds=q["engine"] + 250))
    if q.get("reason"):
        e["Status"]["StateChangeReason"] = q["reason"]
        e["Status"]["AthenaError"] = {"ErrorCategory": 2, "ErrorType": 1006, "Retryable": False, "ErrorMessage": q["reason"]}
    return e


def event(q, user, when):
    u = USERS[user]
    identity = {"type": u["type"], "principalId": "AROAEXAMPLE:" + u["name"], "arn": u["arn"], "accountId": ACCOUNT}
    record = {"eventVersion": "1.09", "userIdentity": identity, "eventTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
              "eventSource": "athena.amazonaws.com", "eventName": "StartQueryExecution", "awsRegion": "eu-west-1",
              "sourceIPAddress": "203.0.113.10", "userAgent": "aws-sdk-java/2.31.1",
              "requestParameters": {"queryString": q["sql"] if q else "SELECT 1", "workGroup": q["wg"] if q else "primary"},
              "responseElements": {"queryExecutionId": q["id"]} if q else None,
              "requestID": str(uuid.uuid5(uuid.NAMESPACE_URL, "req/" + when.isoformat() + user)),
              "eventID": str(uuid.uuid5(uuid.NAMESPACE_URL, "evt/" + when.isoformat() + user)),
              "readOnly": False, "eventType": "AwsApiCall", "managementEvent": True,
              "recipientAccountId": ACCOUNT, "eventCategory": "Management"}
    if q is None:
        record["errorCode"] = "AccessDenied"
        record["errorMessage"] = "User is not authorized to perform: athena:StartQueryExecution"
    return {"EventId": record["eventID"], "EventName": "StartQueryExecution", "ReadOnly": "false",
            "AccessKeyId": "ASIAEXAMPLE" + u["name"][:4].upper(), "EventTime": ts(when), "EventSource": "athena.amazonaws.com",
            "Username": u["name"], "Resources": [], "CloudTrailEvent": json.dumps(record, separators=(",", ":"))}


def sql(k, day):
    return (f"SELECT user_id, count(*) AS events\n  FROM tributary.app_events\n WHERE dt = '{day}' AND "
            f"event_type = 'type_{k}'\n GROUP BY 1 ORDER BY 2 DESC")


# analytics: 2 queries after the window, 110 in it (newest first), 88 before it; pages of 40 ids.
analytics = []
for i, minutes in enumerate([60, 30]):
    t = TO + timedelta(minutes=minutes)
    analytics.append({"id": qid(f"analytics-future-{i}"), "wg": "analytics", "sql": sql(900 + i, t.date()), "type": "DML",
                      "state": "SUCCEEDED", "submitted": t, "engine": 900, "bytes": 5 * MIB, "db": "tributary", "user": "alice"})
for k in range(110):
    t = TO - timedelta(hours=1) - timedelta(minutes=90 * k)
    state = "FAILED" if k % 10 == 9 else "SUCCEEDED"
    analytics.append({"id": qid(f"analytics-{k}"), "wg": "analytics", "sql": sql(k, t.date()), "type": "DML", "state": state,
                      "reason": "HIVE_BAD_DATA: Error parsing field value '-' for field 4" if state == "FAILED" else None,
                      "submitted": t, "engine": 1000 + 10 * k,
                      "bytes": 3 * MIB if k % 11 == 0 else (k + 1) * 1_000_000_000 + 7,
                      "db": "tributary" if k % 2 == 0 else "sales", "user": ["alice", "bob", "quicksight"][k % 3],
                      "no_event": k == 7})
for j in range(88):
    t = FROM - timedelta(hours=1) - timedelta(hours=j)
    analytics.append({"id": qid(f"analytics-old-{j}"), "wg": "analytics", "sql": sql(500 + j, t.date()), "type": "DML",
                      "state": "SUCCEEDED", "submitted": t, "engine": 800, "bytes": 20 * MIB, "db": "tributary", "user": "bob"})

primary = [
    {"id": qid("primary-running"), "wg": "primary", "type": "DML", "state": "RUNNING", "user": "quicksight", "db": "sales",
     "submitted": datetime(2026, 11, 7, 22, 15, 0, 250000, tzinfo=UTC), "engine": 60000, "bytes": 5 * (1 << 30) + 123,
     "sql": "SELECT * FROM sales.orders o JOIN sales.customers c ON o.customer_id = c.id"},
    {"id": qid("primary-cancelled"), "wg": "primary", "type": "DML", "state": "CANCELLED", "user": "alice", "db": None,
     "submitted": datetime(2026, 11, 6, 10, 5, tzinfo=UTC), "engine": 300000, "bytes": 2 * TIB - 1,
     "reason": "Query cancelled by user", "sql": "SELECT * FROM tributary.app_events"},
    {"id": qid("primary-failed"), "wg": "primary", "type": "DML", "state": "FAILED", "user": "bob", "db": "tributary",
     "submitted": datetime(2026, 11, 5, 8, 0, tzinfo=UTC), "engine": 150, "bytes": 0,
     "reason": "COLUMN_NOT_FOUND: line 1:8: Column 'x' cannot be resolved", "sql": "SELECT x FROM transactions"},
    {"id": qid("primary-ddl"), "wg": "primary", "type": "DDL", "state": "SUCCEEDED", "user": "alice", "db": "tributary",
     "submitted": datetime(2026, 11, 2, 9, 0, tzinfo=UTC), "engine": 700, "bytes": 0,
     "sql": "CREATE EXTERNAL TABLE IF NOT EXISTS `tributary`.`athena_queries` (...)"},
]
unprocessed = {"QueryExecutionId": qid("primary-gone"), "ErrorCode": "INVALID_INPUT",
               "ErrorMessage": "QueryExecution " + qid("primary-gone") + " was not found"}
primary_old = {"id": qid("primary-old"), "wg": "primary", "type": "DML", "state": "SUCCEEDED", "user": "alice", "db": "tributary",
               "submitted": datetime(2026, 10, 20, tzinfo=UTC), "engine": 500, "bytes": 42 * MIB, "sql": "SELECT 42"}

exchanges = []


def ok(target, request, response):
    exchanges.append({"target": target, "request": request, "status": 200, "response": response})


def throttled(target, request, type_, message):
    exchanges.append({"target": target, "request": request, "status": 400, "response": {"__type": type_, "message": message}})


def batch(queries):
    return {"QueryExecutions": [execution(q) for q in queries], "UnprocessedQueryExecutionIds": []}


ok("AmazonAthena.ListWorkGroups", {"MaxResults": 50}, {"WorkGroups": [
    {"Name": "analytics", "State": "ENABLED", "Description": "BI and analysts", "CreationTime": 1735689600,
     "EngineVersion": {"SelectedEngineVersion": "AUTO", "EffectiveEngineVersion": "Athena engine version 3"}},
    {"Name": "etl", "State": "ENABLED", "Description": "", "CreationTime": 1735689600,
     "EngineVersion": {"SelectedEngineVersion": "AUTO", "EffectiveEngineVersion": "Athena engine version 3"}}],
    "NextToken": "workgroups-2"})
ok("AmazonAthena.ListWorkGroups", {"MaxResults": 50, "NextToken": "workgroups-2"}, {"WorkGroups": [
    {"Name": "primary", "State": "ENABLED", "Description": "", "CreationTime": 1704067200,
     "EngineVersion": {"SelectedEngineVersion": "AUTO", "EffectiveEngineVersion": "Athena engine version 3"}}]})

ids = [q["id"] for q in analytics]
pages = [ids[p:p + 40] for p in range(0, 200, 40)]
LQE = "AmazonAthena.ListQueryExecutions"
BG = "AmazonAthena.BatchGetQueryExecution"


def list_request(wg, page):
    r = {"WorkGroup": wg, "MaxResults": 50}
    if page > 1:
        r["NextToken"] = f"{wg}-page-{page}"
    return r


def list_response(wg, page, page_ids, more=True):
    r = {"QueryExecutionIds": page_ids}
    if more:
        r["NextToken"] = f"{wg}-page-{page + 1}"
    return r


ok(LQE, list_request("analytics", 1), list_response("analytics", 1, pages[0]))
ok(LQE, list_request("analytics", 2), list_response("analytics", 2, pages[1]))
ok(BG, {"QueryExecutionIds": ids[0:50]}, batch(analytics[0:50]))
throttled(LQE, list_request("analytics", 3), "ThrottlingException", "Rate exceeded")
ok(LQE, list_request("analytics", 3), list_response("analytics", 3, pages[2]))
throttled(BG, {"QueryExecutionIds": ids[50:100]}, "TooManyRequestsException", "Rate exceeded")
ok(BG, {"QueryExecutionIds": ids[50:100]}, batch(analytics[50:100]))
ok(LQE, list_request("analytics", 4), list_response("analytics", 4, pages[3]))
ok(BG, {"QueryExecutionIds": ids[100:150]}, batch(analytics[100:150]))
ok(LQE, list_request("analytics", 5), list_response("analytics", 5, pages[4]))  # a page 6 exists, never asked for
ok(BG, {"QueryExecutionIds": ids[150:200]}, batch(analytics[150:200]))
ok(LQE, list_request("etl", 1), {"QueryExecutionIds": []})
primary_ids = [q["id"] for q in primary] + [unprocessed["QueryExecutionId"], primary_old["id"]]
ok(LQE, list_request("primary", 1), {"QueryExecutionIds": primary_ids})
ok(BG, {"QueryExecutionIds": primary_ids},
   {"QueryExecutions": [execution(q) for q in primary + [primary_old]], "UnprocessedQueryExecutionIds": [unprocessed]})

in_window = [q for q in analytics if FROM <= q["submitted"] < TO] + primary
events = [event(q, q["user"], q["submitted"].replace(microsecond=0)) for q in in_window if not q.get("no_event")]
events.append(event(None, "bob", datetime(2026, 11, 3, 12, 0, tzinfo=UTC)))  # refused call: no query id
events.append(event({"id": qid("stray"), "wg": "primary", "sql": "SELECT 1"}, "alice", FROM - timedelta(minutes=2)))
events.sort(key=lambda e: e["EventTime"], reverse=True)
trail_request = {"LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": "StartQueryExecution"}],
                 # the SDK sends request timestamps as JSON doubles (1.7934909E9)
                 "StartTime": float(ts(FROM - timedelta(minutes=5))), "EndTime": float(ts(TO + timedelta(minutes=5))),
                 "MaxResults": 50}
LE = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents"
throttled(LE, trail_request, "ThrottlingException", "Rate exceeded")
for p in range(0, len(events), 50):
    request = dict(trail_request, **({"NextToken": f"events-{p // 50 + 1}"} if p else {}))
    response = {"Events": events[p:p + 50]}
    if p + 50 < len(events):
        response["NextToken"] = f"events-{p // 50 + 2}"
    ok(LE, request, response)

with open("conversation.jsonl", "w") as f:
    for x in exchanges:
        f.write(json.dumps(x, ensure_ascii=False, separators=(",", ":")) + "\n")

# Expected figures, independently of the Java code.
def cost(q):
    if q["type"] != "DML" or q["state"] == "FAILED":
        return Decimal(0)
    billed = max(10 * MIB, -(-q["bytes"] // MIB) * MIB)
    return Decimal(5) * billed / TIB


def principal(q):
    return "(no CloudTrail event)" if q.get("no_event") else USERS[q["user"]]["arn"]


def show(name, key):
    groups = {}
    for q in in_window:
        g = groups.setdefault(key(q), [0, 0, 0, Decimal(0)])
        g[0] += 1; g[1] += q["state"] == "FAILED"; g[2] += q["bytes"]; g[3] += cost(q)
    print(f"by {name}:")
    for k, g in sorted(groups.items(), key=lambda kv: (-kv[1][3], -kv[1][2], kv[0])) if name != "day" else sorted(groups.items()):
        print(f"  {k},{g[0]},{g[1]},{g[2]},{g[3].quantize(Decimal('0.000001'), ROUND_HALF_UP)}")

print("in window", len(in_window), "events", len(events), "exchanges", len(exchanges))
show("user", principal)
show("database", lambda q: q["db"] or "(none)")
show("workgroup", lambda q: q["wg"])
show("day", lambda q: q["submitted"].date().isoformat())
tot = sum((cost(q) for q in in_window), Decimal(0))
print("total", len(in_window), sum(q["state"] == "FAILED" for q in in_window), sum(q["bytes"] for q in in_window), tot)
print("top 3:")
for q in sorted(in_window, key=lambda q: (-q["bytes"], q["id"]))[:3]:
    print(" ", q["id"], q["bytes"], cost(q), q["state"], principal(q))
print("hours", len({q["submitted"].strftime("%Y-%m-%d %H") for q in in_window}))
print("unprocessed", unprocessed["QueryExecutionId"])
print("no event", [q["id"] for q in in_window if q.get("no_event")])
