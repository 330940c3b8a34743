import Foundation
import Hummingbird
import NIOCore
import Oracle
import ServiceLifecycle

/// The operator's status page at `/`: served by the node itself (no CDN, no build step), updated live
/// from `/v1/events`, a server-sent event stream of the status, readiness and latest jobs once a second.
enum StatusPage {
    /// What one event carries.
    struct Snapshot: Encodable {
        let status: NodeStatus
        let ready: Bool
        let checks: [ReadinessCheck]
        let latestJobs: [JobView]
        /// Server time, ISO 8601.
        let time: String
    }

    static func snapshot(state: NodeState, store: any JobStore) async throws -> Snapshot {
        let checks = await state.readiness()
        return Snapshot(
            status: await state.current, ready: checks.allSatisfy(\.ok), checks: checks,
            latestJobs: try await store.latestJobs(limit: 20).map(JobView.init), time: ISO8601DateFormatter().string(from: Date()))
    }

    /// `text/event-stream`: a `status` event now and then every `interval`, until the client goes away or
    /// the node shuts down (an open page must not hold a SIGTERM up).
    static func events(state: NodeState, store: any JobStore, interval: Duration = .seconds(1)) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = ResponseBody { writer in
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                let data = try encoder.encode(try await snapshot(state: state, store: store))
                var buffer = ByteBuffer(string: "event: status\ndata: ")
                buffer.writeBytes(data)
                buffer.writeString("\n\n")
                try await writer.write(buffer)
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }

    static func response() -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static let html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>cloister node</title>
        <style>
          body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5rem; color: #1d2127; background: #fafafa; }
          h1 { font-size: 1.3rem; margin: 0 0 .2rem; } h2 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
          .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 1rem; }
          section { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: .6rem .9rem; }
          table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: .15rem .4rem; vertical-align: top; }
          th { font-weight: 600; color: #555; } code { font-size: 12px; }
          .ok { color: #1a7f37; } .bad { color: #c0262d; font-weight: 600; } .warn { color: #9a6700; }
          #banner { padding: .4rem .7rem; border-radius: 6px; margin: .6rem 0; }
          #banner.ready { background: #dafbe1; } #banner.notready { background: #ffebe9; }
        </style>
        </head>
        <body>
        <h1>cloister node <span id="version"></span></h1>
        <div id="meta">connecting…</div>
        <div id="banner"></div>
        <div class="grid">
          <section><h2>Chain</h2><table id="chain"></table></section>
          <section><h2>Standing</h2><table id="standing"></table><ul id="standing-notes"></ul></section>
          <section><h2>Jobs by state</h2><table id="jobs"></table></section>
          <section><h2>Duties and earnings</h2><table id="duties"></table></section>
        </div>
        <section><h2>Readiness</h2><table id="checks"></table></section>
        <section><h2>Latest jobs</h2><table id="latest"><thead><tr><th>request</th><th>role</th><th>state</th><th>block</th><th>note</th></tr></thead><tbody></tbody></table></section>
        <script>
        "use strict";
        const WEI = 10n ** 18n;
        function eth(wei) {
          if (wei === undefined || wei === null) return "–";
          const v = BigInt(wei), whole = v / WEI, frac = (v % WEI).toString().padStart(18, "0").replace(/0+$/, "");
          return whole.toString() + (frac ? "." + frac : "") + " ETH";
        }
        function iso(seconds) { return seconds ? new Date(Number(seconds) * 1000).toISOString().replace(".000", "") : "–"; }
        function text(value) { const span = document.createElement("span"); span.textContent = value; return span.innerHTML; }
        function rows(id, pairs) {
          document.getElementById(id).innerHTML = pairs.map(([k, v, cls]) =>
            `<tr><th>${text(k)}</th><td class="${cls || ""}">${text(String(v))}</td></tr>`).join("");
        }
        function render(s) {
          const st = s.status;
          document.getElementById("version").textContent = st.version;
          document.getElementById("meta").textContent =
            `chain ${st.chainID} · operator ${st.operatorAddress} · enclave ${st.enclaveSigner} · TEE ${st.tee} · updated ${s.time}`;
          const banner = document.getElementById("banner");
          const failing = s.checks.filter(c => !c.ok).map(c => `${c.name}: ${c.detail}`);
          banner.className = s.ready ? "ready" : "notready";
          banner.textContent = s.ready ? "Ready: taking work." : "Not ready — " + failing.join("; ");
          if (st.warning) banner.textContent += " · " + st.warning;
          rows("chain", [["head", st.head ?? "–"], ["next block to scan", st.nextBlock ?? "–"],
                         ["attestation valid until", iso(st.attestationExpiry)],
                         ["fees above cap", st.feesAboveCap, st.feesAboveCap ? "bad" : ""],
                         ["operator balance low", st.insufficientFunds, st.insufficientFunds ? "bad" : ""],
                         ["last submission problem", st.lastSubmissionProblem ?? "none", st.lastSubmissionProblem ? "warn" : ""],
                         ["last node fault", st.lastNodeFault ?? "none", st.lastNodeFault ? "warn" : ""]]);
          const sd = st.standing;
          rows("standing", sd ? [["status", sd.status, sd.problems.length ? "bad" : "ok"], ["stake", eth(sd.stakeWei)],
                                 ["minimum stake", eth(sd.minStakeWei)], ["registered key is this enclave's", sd.keyIsCurrent, sd.keyIsCurrent ? "ok" : "bad"],
                                 ["stake unlocks", sd.unbondAt ? iso(sd.unbondAt) : "–"]]
                              : [["status", "not read from the chain yet"]]);
          document.getElementById("standing-notes").innerHTML = sd ?
            sd.problems.map(p => `<li class="bad">${text(p)}</li>`).join("") + sd.warnings.map(w => `<li class="warn">${text(w)}</li>`).join("") : "";
          rows("jobs", Object.entries(st.jobs).sort().map(([k, v]) => [k, v]));
          const d = st.duties;
          rows("duties", [["verifications", d.verificationsAssigned], ["jury seats", d.juryDraws], ["challenges", d.challengesStarted],
                          ["disputes won / lost", `${d.disputesWon} / ${d.disputesLost}`], ["slashed", eth(d.slashedWei), d.slashedWei !== "0" ? "bad" : ""],
                          ...Object.entries(d.creditedWei).sort().map(([k, v]) => [`earned: ${k}`, eth(v)]),
                          ["credits to withdraw", eth(d.pendingCreditsWei)]]);
          rows("checks", s.checks.map(c => [c.name, (c.ok ? "ok — " : "FAILING — ") + c.detail, c.ok ? "ok" : "bad"]));
          document.querySelector("#latest tbody").innerHTML = s.latestJobs.map(j =>
            `<tr data-request="${text(j.requestId)}" data-state="${text(j.state)}"><td><code>${text(j.requestId)}</code></td><td>${text(j.role)}</td>` +
            `<td class="${j.state === "failed" ? "bad" : ""}">${text(j.state)}</td><td>${j.observedInBlock}</td>` +
            `<td>${text(j.failureReason || (j.errorCode ? "error result " + j.errorCode : ""))}</td></tr>`).join("");
        }
        const source = new EventSource("/v1/events");
        source.addEventListener("status", event => render(JSON.parse(event.data)));
        source.onerror = () => { document.getElementById("meta").textContent = "connection to the node lost; retrying…"; };
        </script>
        </body>
        </html>
        """
}
