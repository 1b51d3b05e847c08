import ArgumentParser
import Domain
import Foundation

struct SurvivalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "survival",
        abstract: "Kaplan-Meier survival with 95% confidence intervals, or a log-rank test between groups.",
        discussion: """
            The input is a CSV with `duration` and `event` columns (event 1 = left, 0 = still in service) and any \
            others to group by. Writes group,t,at_risk,events,censored,survival,ci_lower_95,ci_upper_95: \
            everyone as group `all`, then each group of --by. Intervals are exponential Greenwood (log-log), as \
            lifelines computes them. With --logrank, prints the log-rank statistic, degrees of freedom and p-value \
            between the groups of --by instead.
            """)

    @Option(help: "The CSV file to read.") var input: String
    @Option(help: "A column to group by.") var by: String?
    @Option(help: "Times to report, comma-separated (default: every time in the data).") var times: String?
    @Option(help: "The CSV file to write (default: standard output).") var output: String?
    @Flag(help: "Test whether the groups of --by share one survival curve.") var logrank = false
    @Option(help: "Fit this many times and print the median fit time to standard error (for benchmarks).")
    var repeats: Int = 1

    func run() async throws {
        let bytes = try readFile(input)
        let file: SurvivalFile
        do {
            file = try SurvivalFile.read(bytes, file: input)
        } catch {
            throw ValidationFailure(error.description)
        }
        guard (1...1_000).contains(repeats) else { throw ValidationFailure("--repeats must be from 1 to 1000") }
        var grouping: (labels: [String], groups: [Int])?
        if let by {
            do {
                grouping = try file.groups(by: by)
            } catch {
                throw ValidationFailure(error.description)
            }
        }
        if logrank {
            guard let grouping else { throw ValidationFailure("--logrank needs --by COLUMN: the groups to compare") }
            guard
                let test = LogRankTest(file.data, groups: grouping.groups, groupCount: grouping.labels.count)
            else {
                throw ValidationFailure(
                    "--by \(by ?? ""): the log-rank test needs at least two groups; the file has one")
            }
            print("log-rank test between \(grouping.labels.count) groups of \(by ?? "")")
            for (g, label) in grouping.labels.enumerated() {
                print(
                    "  \(label): observed \(test.observed[g]) events, expected \(String(format: "%.2f", test.expected[g]))"
                )
            }
            print("statistic \(test.statistic)")
            print("degrees of freedom \(test.degreesOfFreedom)")
            print("p-value \(test.pValue)")
            return
        }
        var at: [Double]?
        if let times {
            var parsed: [Double] = []
            for part in times.split(separator: ",", omittingEmptySubsequences: false) {
                guard let t = BoundedInput.decimal(part.trimmingSpaces, in: 0...SurvivalFile.maximumDuration) else {
                    throw ValidationFailure(
                        "--times: \(BoundedInput.quote(part)) is not a time from 0 to \(Int(SurvivalFile.maximumDuration))"
                    )
                }
                parsed.append(t)
            }
            at = parsed
        }
        let clock = ContinuousClock()
        var timings: [Duration] = []
        var overall = KaplanMeier(table: EventTable(times: [], atRisk: [], events: [], censored: []))
        for _ in 0..<repeats {
            let started = clock.now
            overall = KaplanMeier(file.data)
            timings.append(clock.now - started)
        }
        var lines = [SurvivalReport.header]
        lines += SurvivalReport.rows(group: "all", fit: overall, times: at)
        if let grouping {
            let index = TimeIndex(file.data.durations)
            let tables = EventTable.grouped(
                index: index, events: file.data.events, groups: grouping.groups, groupCount: grouping.labels.count)
            for (g, label) in grouping.labels.enumerated() {
                lines += SurvivalReport.rows(group: label, fit: KaplanMeier(table: tables[g]), times: at)
            }
        }
        let text = lines.joined(separator: "\n") + "\n"
        if let output {
            do {
                try text.write(toFile: output, atomically: true, encoding: .utf8)
            } catch {
                throw ValidationFailure("\(output): cannot be written: \(error.localizedDescription)")
            }
        } else {
            print(text, terminator: "")
        }
        timings.sort()
        printError("Kaplan-Meier fit of \(file.data.count) people in \(microseconds(timings[timings.count / 2])) s")
    }
}

struct CoxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cox",
        abstract: "A Cox proportional-hazards model (Efron ties) on a survival CSV, printed as JSON.",
        discussion: """
            The input has `duration` and `event` columns as for `chalkface survival`. Numeric covariates are used \
            as they are; each --categorical column becomes one indicator per level after the first (COLUMN_LEVEL). \
            Prints coefficients, standard errors, hazard ratios with 95% intervals, p-values and the log partial \
            likelihood.
            """)

    @Option(help: "The CSV file to read.") var input: String
    @Option(help: "Numeric covariate columns, comma-separated.") var covariates: String = ""
    @Option(help: "Categorical covariate columns, comma-separated.") var categorical: String = ""
    @Option(help: "Fit this many times and print the median fit time to standard error (for benchmarks).")
    var repeats: Int = 1

    func run() async throws {
        func names(_ list: String) -> [String] {
            list.split(separator: ",").map { String($0.trimmingSpaces) }.filter { !$0.isEmpty }
        }
        guard (1...1_000).contains(repeats) else { throw ValidationFailure("--repeats must be from 1 to 1000") }
        let file: SurvivalFile
        let design: (names: [String], values: [Double])
        do {
            file = try SurvivalFile.read(try readFile(input), file: input)
            design = try file.covariates(numeric: names(covariates), categorical: names(categorical))
        } catch let error as ImportFileError {
            throw ValidationFailure(error.description)
        }
        let clock = ContinuousClock()
        var timings: [Duration] = []
        var model: CoxModel?
        for _ in 0..<repeats {
            let started = clock.now
            do {
                model = try CoxModel.fit(file.data, covariates: design.values, names: design.names)
            } catch {
                throw ValidationFailure("\(input): \(error.description)")
            }
            timings.append(clock.now - started)
        }
        guard let model else { return }
        struct Row: Encodable {
            var coef: Double
            var se: Double
            var hazard_ratio: Double
            var hazard_ratio_lower_95: Double
            var hazard_ratio_upper_95: Double
            var z: Double
            var p: Double
        }
        struct Output: Encodable {
            var ties = "efron"
            var observations: Int
            var events: Int
            var covariates: [String]
            var coef: [String: Double]
            var se: [String: Double]
            var summary: [String: Row]
            var log_likelihood: Double
            var iterations: Int
        }
        var out = Output(
            observations: model.observations, events: model.events, covariates: design.names, coef: [:], se: [:],
            summary: [:], log_likelihood: model.logLikelihood, iterations: model.iterations)
        for c in model.coefficients {
            out.coef[c.name] = c.coefficient
            out.se[c.name] = c.standardError
            out.summary[c.name] = Row(
                coef: c.coefficient, se: c.standardError, hazard_ratio: c.hazardRatio,
                hazard_ratio_lower_95: c.hazardRatioLower, hazard_ratio_upper_95: c.hazardRatioUpper, z: c.z,
                p: c.pValue)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(out), as: UTF8.self))
        timings.sort()
        printError(
            "Cox fit of \(model.observations) people, \(design.names.count) covariates, \(model.iterations) iterations in \(microseconds(timings[timings.count / 2])) s"
        )
    }
}

/// A duration in seconds with six decimals, for fits that take about a millisecond.
func microseconds(_ d: Duration) -> String {
    let c = d.components
    return String(format: "%.6f", Double(c.seconds) + Double(c.attoseconds) / 1e18)
}
