import ArgumentParser
import Domain
import Foundation
import Persistence
import Vapor

/// The provider a command names, by its id or its exact name.
func trainingProvider(_ text: String, in app: Application) async throws -> Organisation {
    let providers = try await OrganisationStore(app.db).list().filter {
        [.university, .scitt, .schoolLedProvider].contains($0.kind)
    }
    if let p = providers.first(where: {
        $0.id.rawValue.uuidString == text.uppercased() || $0.name.lowercased() == text.lowercased()
    }) {
        return p
    }
    throw ValidationFailure(
        "--provider \(BoundedInput.quote(text)) is not a training provider Chalkface holds; use one of: \(providers.map(\.name).sorted().joined(separator: "; "))"
    )
}

struct ImportApplications: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "applications",
        abstract: "Load one provider's application choices for one recruitment cycle, in the shape of DfE's Apply.",
        discussion: """
            Header: \(ApplicationFile.columns.joined(separator: ",")) (the *_completed_at section columns may be \
            left out). One row per application choice; each state's column holds when the choice entered it (ISO \
            8601). Replaces what is held for the provider and cycle, all or nothing: any problem is printed as \
            file:line: field: message and nothing is imported.
            """)

    @ArgumentParser.Argument(help: "The CSV file.") var file: String
    @ArgumentParser.Option(help: "The provider, by name or id.") var provider: String
    @ArgumentParser.Flag(help: "Replace even if that removes more than 10% of the choices held for the cycle.")
    var replaceAll = false

    func run() async throws {
        let bytes = try readFile(file)
        let choices: [ApplicationChoice]
        do {
            choices = try ApplicationFile.read(bytes, file: file, now: Date())
        } catch {
            throw ValidationFailure(error.description)
        }
        let name = (file as NSString).lastPathComponent
        let (providerName, result) = try await refusalsAsFailures {
            try await withDatabase { app in
                let p = try await trainingProvider(provider, in: app)
                let r = try await app.db.transaction { tx in
                    try await ApplicationStore(tx).replace(
                        provider: p.id, cycle: choices[0].cycle, with: choices, file: name, replaceAll: replaceAll,
                        at: Date())
                }
                return (p.name, r)
            }
        }
        print(
            "\(providerName), cycle \(choices[0].cycle): \(result.stored) application choices stored, \(result.removed) held before and not in the file removed"
        )
    }
}

struct FunnelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "funnel",
        abstract: "Write the application funnel (the /applications figures) as CSV to standard output.",
        discussion: """
            One row per provider and stage, then the partnership's: provider,stage,reached,from,converted,of,share,\
            lower,upper (share and its 95% Wilson interval empty when of is under 10).
            """)

    @ArgumentParser.Option(help: "The recruitment cycle year, like 2026 (default: the latest held).") var cycle: Int?
    @ArgumentParser.Option(help: "Only this subject (a subject key).") var subject: String?
    @ArgumentParser.Option(help: "Only this route.") var route: String?

    func validate() throws {
        if let cycle, !(2000...2100).contains(cycle) {
            throw ArgumentParser.ValidationError("--cycle must be a year from 2000 to 2100")
        }
        if let subject, PlacementSubject(key: subject) == nil {
            throw ArgumentParser.ValidationError(
                "--subject must be one of \(PlacementSubject.allCases.map(\.key).joined(separator: ", "))")
        }
        if let route, TrainingRoute(rawValue: route) == nil {
            throw ArgumentParser.ValidationError(
                "--route must be one of \(TrainingRoute.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        let subject = subject.flatMap { PlacementSubject(key: $0) }
        let route = route.flatMap { TrainingRoute(rawValue: $0) }
        let wanted = cycle
        let text = try await withDatabase { app in
            let store = ApplicationStore(app.db)
            let latest = try await store.cycles().first
            guard let cycle = wanted ?? latest else {
                throw ValidationFailure("No applications are held.")
            }
            let names = Dictionary(
                uniqueKeysWithValues: try await OrganisationStore(app.db).list().map { ($0.id, $0.name) })
            let all = try await store.choices(cycle: cycle).filter {
                (subject == nil || $0.choice.subject == subject) && (route == nil || $0.choice.route == route)
            }
            var groups = Dictionary(grouping: all, by: { names[$0.provider] ?? $0.provider.rawValue.uuidString })
                .mapValues { $0.map(\.choice) }.sorted { $0.key < $1.key }
            groups.append(("Partnership", all.map(\.choice)))
            var text = "provider,stage,reached,from,converted,of,share,lower,upper\n"
            for (name, choices) in groups {
                let f = ApplicationFunnel.build(choices)
                for stage in ApplicationFunnel.Stage.allCases {
                    var row = [SchoolCSVExport.escape(name), stage.rawValue, String(f.reached[stage] ?? 0)]
                    if let from = stage.from, let p = f.conversion[stage] {
                        let interval = p.isShown ? p.wilson() : nil
                        row += [
                            from.rawValue, String(p.count), String(p.of),
                            p.isShown ? String(format: "%.4f", p.share ?? 0) : "",
                            interval.map { String(format: "%.4f", $0.lowerBound) } ?? "",
                            interval.map { String(format: "%.4f", $0.upperBound) } ?? "",
                        ]
                    } else {
                        row += ["", "", "", "", "", ""]
                    }
                    text += row.joined(separator: ",") + "\n"
                }
            }
            return text
        }
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
