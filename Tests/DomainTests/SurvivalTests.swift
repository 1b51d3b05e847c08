import Foundation
import Testing

@testable import Domain

@Suite("Survival: Kaplan-Meier, log-rank and Cox against lifelines 0.30.3")
struct SurvivalTests {
    static func file(_ path: String) throws -> SurvivalFile {
        try SurvivalFile.read(Fixtures.bytes(path), file: path)
    }

    /// Compares the report for `times` (nil: every table time) with a lifelines expectation file row by row.
    static func compareReport(cohort: String, expected: String, times: [Double]?) throws {
        let input = try file(cohort)
        let (labels, groups) = try input.groups(by: "group")
        var rows = SurvivalReport.rows(group: "all", fit: KaplanMeier(input.data), times: times)
        let tables = EventTable.grouped(
            index: TimeIndex(input.data.durations), events: input.data.events, groups: groups,
            groupCount: labels.count)
        for (g, label) in labels.enumerated() {
            rows += SurvivalReport.rows(group: label, fit: KaplanMeier(table: tables[g]), times: times)
        }
        let reference = try CSVTable(bytes: Fixtures.bytes(expected), file: expected, encoding: .utf8)
        #expect(rows.count == reference.rows.count)
        for (line, want) in zip(rows, reference.rows) {
            let got = line.split(separator: ",").map(String.init)
            #expect(got[0] == want["group"])
            #expect(Double(got[1]) == Double(want["t"]), "\(line)")
            #expect(got[2] == want["at_risk"] && got[3] == want["events"] && got[4] == want["censored"], "\(line)")
            #expect(abs(Double(got[5])! - Double(want["survival"])!) <= 1e-12, "\(line)")
            #expect(abs(Double(got[6])! - Double(want["ci_lower_95"])!) <= 1e-9, "\(line)")
            #expect(abs(Double(got[7])! - Double(want["ci_upper_95"])!) <= 1e-9, "\(line)")
        }
    }

    @Test("The shared 50,000 cohort: S(t), intervals and counts at t = 1..10 equal expected_km_50000.csv")
    func sharedCohort() throws {
        try Self.compareReport(
            cohort: "../shared/bench/data/survival/cohort_50000.csv",
            expected: "../shared/bench/data/survival/expected_km_50000.csv", times: (1...10).map(Double.init))
        let fit = KaplanMeier(try Self.file("../shared/bench/data/survival/cohort_50000.csv").data)
        #expect(fit.at(1).survival == 0.8687)
        #expect(abs(fit.at(5).survival - 0.632015) < 1e-6)
        #expect(abs(fit.at(10).survival - 0.499098) < 1e-6)
    }

    @Test("Unseen cohorts (whole years; decimals with ties and a zero duration): every table time equals lifelines")
    func unseenCohorts() throws {
        try Self.compareReport(
            cohort: "Tests/Fixtures/survival/unseen_cohort.csv",
            expected: "Tests/Fixtures/survival/expected_km_unseen_cohort.csv", times: nil)
        try Self.compareReport(
            cohort: "Tests/Fixtures/survival/continuous.csv",
            expected: "Tests/Fixtures/survival/expected_km_continuous.csv", times: nil)
    }

    struct Expected: Decodable {
        struct LogRank: Decodable {
            var statistic: Double
            var df: Int
            var p: Double
        }
        struct Cox: Decodable {
            var numeric: [String]
            var categorical: [String]
            var coef: [String: Double]
            var se: [String: Double]
            var log_likelihood: Double
        }
        var logrank: LogRank
        var cox: Cox
    }

    @Test("Log-rank statistic and p, Cox coefficients, errors and log-likelihood equal lifelines on unseen data")
    func modelsOnUnseenData() throws {
        let expected = try JSONDecoder().decode(
            [String: Expected].self, from: Data(Fixtures.bytes("Tests/Fixtures/survival/expected.json")))
        for (name, want) in expected {
            let input = try Self.file("Tests/Fixtures/survival/\(name).csv")
            let (labels, groups) = try input.groups(by: "group")
            let test = try #require(LogRankTest(input.data, groups: groups, groupCount: labels.count))
            #expect(abs(test.statistic - want.logrank.statistic) <= 1e-9 * want.logrank.statistic, "\(name)")
            #expect(test.degreesOfFreedom == want.logrank.df)
            #expect(abs(test.pValue - want.logrank.p) <= 1e-9 * want.logrank.p + 1e-300, "\(name)")
            let design = try input.covariates(numeric: want.cox.numeric, categorical: want.cox.categorical)
            let model = try CoxModel.fit(input.data, covariates: design.values, names: design.names)
            #expect(Set(model.coefficients.map(\.name)) == Set(want.cox.coef.keys))
            for c in model.coefficients {
                #expect(abs(c.coefficient - want.cox.coef[c.name]!) <= 1e-6, "\(name) \(c.name)")
                #expect(abs(c.standardError - want.cox.se[c.name]!) <= 1e-6, "\(name) \(c.name)")
            }
            #expect(abs(model.logLikelihood - want.cox.log_likelihood) <= 1e-6, "\(name)")
        }
    }

    @Test("Cox on the shared cohort equals expected_cox_50000.json; the entry year's shift does not matter")
    func sharedCox() throws {
        let input = try Self.file("../shared/bench/data/survival/cohort_50000.csv")
        let design = try input.covariates(numeric: ["entry_year"], categorical: ["group"])
        let model = try CoxModel.fit(input.data, covariates: design.values, names: design.names)
        let byName = Dictionary(uniqueKeysWithValues: model.coefficients.map { ($0.name, $0) })
        let want: [(String, String, Double, Double)] = [
            ("group_1", "g1", 0.3823637064334134, 0.017296608958830492),
            ("group_2", "g2", 0.10576719391322251, 0.016207514137160154),
            ("entry_year", "entry", 0.011650007385562407, 0.0018903285326754024),
        ]
        for (name, _, coef, se) in want {
            #expect(abs(byName[name]!.coefficient - coef) <= 1e-6)
            #expect(abs(byName[name]!.standardError - se) <= 1e-6)
        }
        #expect(abs(model.logLikelihood - -214642.44506947492) <= 1e-6)
        #expect(byName["group_1"]!.hazardRatioLower < byName["group_1"]!.hazardRatio)
    }

    @Test("Property: S never increases, stays in [0, 1] inside its bounds, and without censoring is 1 - ECDF")
    func properties() {
        var rng = Xoshiro256StarStar(seed: 7)
        for trial in 0..<200 {
            let n = 1 + Int(rng.next(below: 60))
            let censorAll = trial % 17 == 0
            let noCensoring = trial % 3 == 0 && !censorAll
            let durations = (0..<n).map { _ in
                trial % 2 == 0 ? Double(rng.next(below: 8)) : Double(rng.next(below: 1_000)) / 7
            }
            let events = (0..<n).map { _ in censorAll ? false : noCensoring ? true : rng.next(below: 3) != 0 }
            let fit = KaplanMeier(SurvivalData(durations: durations, events: events))
            var previous = 1.0
            for k in fit.survival.indices {
                let s = fit.survival[k]
                #expect(s <= previous && s >= 0 && s <= 1, "trial \(trial)")
                #expect(fit.lower[k] <= s + 1e-12 && s <= fit.upper[k] + 1e-12, "trial \(trial)")
                #expect(!fit.lower[k].isNaN && !fit.upper[k].isNaN)
                previous = s
            }
            if censorAll { #expect(fit.survival.allSatisfy { $0 == 1 }) }
            if noCensoring {
                for t in Set(durations) {
                    let ecdf = Double(durations.filter { $0 <= t }.count) / Double(n)
                    #expect(abs(fit.at(t).survival - (1 - ecdf)) < 1e-12, "trial \(trial) t \(t)")
                }
            }
            #expect(fit.table.atRisk.first == n)
        }
    }

    @Test("One person, everyone leaving at once, and a log-rank with one group present")
    func edgeCases() {
        let one = KaplanMeier(SurvivalData(durations: [3], events: [true]))
        #expect(one.at(2).survival == 1 && one.at(3).survival == 0 && one.at(3).lower == 0)
        let same = KaplanMeier(SurvivalData(durations: [2, 2, 2], events: [true, true, true]))
        #expect(same.at(2) == (0, 0, 0))
        #expect(same.median == 2)
        // Suppression keeps the counts and leaves the estimates empty.
        #expect(SurvivalReport.rows(group: "g", fit: same, times: [2], minimumAtRisk: 10) == ["g,2,3,3,0,,,"])
        #expect(SurvivalReport.rows(group: "g", fit: same, times: [2]) == ["g,2,3,3,0,0.0,0.0,0.0"])
        let data = SurvivalData(durations: [1, 2, 3], events: [true, false, true])
        #expect(LogRankTest(data, groups: [1, 1, 1], groupCount: 2) == nil)
        #expect(throws: CoxModel.FitError.self) {
            try CoxModel.fit(data, covariates: [1, 1, 1], names: ["constant"])
        }
        #expect(throws: CoxModel.FitError.noEvents) {
            try CoxModel.fit(
                SurvivalData(durations: [1, 2], events: [false, false]), covariates: [0, 1], names: ["x"])
        }
    }

    @Test("Chi-square tail: known values")
    func chiSquare() {
        #expect(abs(Distributions.chiSquareSurvival(3.841458820694124, degreesOfFreedom: 1) - 0.05) < 1e-12)
        #expect(abs(Distributions.chiSquareSurvival(5.991464547107979, degreesOfFreedom: 2) - 0.05) < 1e-12)
        // scipy.stats.chi2.sf
        #expect(abs(Distributions.chiSquareSurvival(0.5, degreesOfFreedom: 5) - 0.9921232932326296) < 1e-14)
        #expect(abs(Distributions.chiSquareSurvival(20, degreesOfFreedom: 3) / 0.00016974243555282632 - 1) < 1e-10)
        #expect(abs(Distributions.chiSquareSurvival(200, degreesOfFreedom: 1) / 2.0884875837625688e-45 - 1) < 1e-10)
        #expect(Distributions.chiSquareSurvival(0, degreesOfFreedom: 3) == 1)
    }

    @Test("Bad rows are named with line and field; nothing is fitted")
    func badInput() {
        let text = "duration,event,group\n1,1,a\n-2,1,a\nnan,0,b\n3,yes,b\n1e400,0,a\n"
        do {
            _ = try SurvivalFile.read(Array(text.utf8), file: "bad.csv")
            Issue.record("accepted a bad file")
        } catch {
            let d = error.description
            #expect(d.contains("bad.csv:3: duration:"))
            #expect(d.contains("bad.csv:4: duration:"))
            #expect(d.contains("bad.csv:5: event:"))
            #expect(d.contains("bad.csv:6: duration:"))
        }
        #expect(throws: ImportFileError.self) {
            try SurvivalFile.read(Array("time,left\n1,1\n".utf8), file: "x.csv")
        }
        #expect(throws: ImportFileError.self) {
            try SurvivalFile.read(Array("duration,event\n1,1\n".utf8), file: "x.csv").groups(by: "nope")
        }
    }
}
