import Domain
import Foundation
import Plot

/// A provider's trainees for a year: the list, a form to add one, and a CSV upload.
public enum TraineePages {
    public static func path(_ provider: OrganisationID) -> String { "/providers/\(provider)/trainees" }

    public struct Model: Sendable {
        public var provider: Organisation
        public var year: AcademicYear
        public var trainees: [Trainee]
        public var form: [String: String]
        public var problems: [ValidationError.Problem]
        /// Problems with an uploaded file, as `file:line: field: message` lines.
        public var uploadProblems: [String]
        public var notice: String?
        /// Each trainee's school in the published allocation ("Not placed" when unplaced); empty before publishing.
        public var allocated: [UUID: String] = [:]

        public init(
            provider: Organisation, year: AcademicYear, trainees: [Trainee], form: [String: String] = [:],
            problems: [ValidationError.Problem] = [], uploadProblems: [String] = [], notice: String? = nil
        ) {
            self.provider = provider
            self.year = year
            self.trainees = trainees
            self.form = form
            self.problems = problems
            self.uploadProblems = uploadProblems
            self.notice = notice
        }
    }

    public static func page(_ m: Model, chrome: Chrome) -> HTML {
        let base = path(m.provider.id)
        let f = m.form
        return Layout.page(
            title: m.problems.isEmpty && m.uploadProblems.isEmpty ? "Trainees \(m.year)" : "Error: Trainees \(m.year)",
            section: .placements, chrome: chrome,
            content: [
                Form.errorSummary(m.problems),
                .if(
                    !m.uploadProblems.isEmpty,
                    .div(
                        .class("app-error-summary"), .attribute(named: "role", value: "alert"), .id("upload-problems"),
                        .h2(.text("The file was not loaded: nothing has been saved")),
                        .p(.text("Correct these rows and upload the whole file again.")),
                        .ul(.forEach(m.uploadProblems) { .li(.text($0)) }))),
                .unwrap(m.notice) {
                    .div(
                        .class("app-notification app-notification--success"),
                        .attribute(named: "role", value: "status"), .p(.text($0)))
                },
                .span(.class("app-caption-l"), .text(m.provider.name)),
                .h1(.text("Trainees for \(m.year)")),
                .p(.id("trainee-count"), .text("\(m.trainees.count) trainee\(m.trainees.count == 1 ? "" : "s").")),
                .if(
                    !m.trainees.isEmpty,
                    .table(
                        .class("app-table"), .id("trainees"),
                        .caption(.class("app-visually-hidden"), .text("Trainees")),
                        .thead(
                            .tr(
                                .th(.text("Name")), .th(.text("Subject")), .th(.text("Route")), .th(.text("Placement")),
                                .th(.text("Home postcode")), .th(.text("Travel limit")),
                                .if(!m.allocated.isEmpty, .th(.text("Placement school"))))),
                        .tbody(
                            .forEach(m.trainees) { t in
                                .tr(
                                    .td(.text(t.name)), .td(.text(t.subject.label)), .td(.text(t.route.label)),
                                    .td(.text(t.placement == 1 ? "First" : "Second")), .td(.text(t.homePostcode.value)),
                                    .td(.text("\(t.travelLimitMetres / 1000) km\(t.noCar ? " (no car)" : "")")),
                                    .if(
                                        !m.allocated.isEmpty,
                                        .td(.text(m.allocated[t.id] ?? "Added after the allocation"))))
                            }))),
                .h2(.text("Upload a file")),
                .p(
                    .text(
                        "A CSV file with the header \(TraineeEntry.columns.joined(separator: ",")). Every row is checked; if any row is wrong nothing is saved and each problem is listed with its line."
                    )),
                .form(
                    .method(.post), .action(Escape.attribute(base + "/upload?year=\(m.year)")),
                    .attribute(named: "enctype", value: "multipart/form-data"),
                    Form.csrf(chrome.csrfToken),
                    .div(
                        .class("app-form-group"),
                        .label(.class("app-label"), .for("file"), .text("Trainees file (CSV)")),
                        .input(
                            .id("file"), .name("file"), .type(.file),
                            .attribute(named: "accept", value: ".csv,text/csv"))),
                    Form.submit("Upload trainees")
                ),
                .h2(.text("Add a trainee")),
                .form(
                    .method(.post), .action(Escape.attribute(base + "?year=\(m.year)")),
                    .attribute(named: "novalidate", value: "novalidate"),
                    Form.csrf(chrome.csrfToken),
                    Form.input(
                        "name", label: "Full name", value: f["name"] ?? "", autocomplete: "off", problems: m.problems),
                    Form.select(
                        "subject", label: "Subject", options: PlacementSubject.allCases.map { ($0.key, $0.label) },
                        selected: f["subject"], problems: m.problems),
                    Form.select(
                        "phase", label: "Phase", options: PlacementPhase.allCases.map { ($0.rawValue, $0.label) },
                        selected: f["phase"], problems: m.problems),
                    Form.select(
                        "route", label: "Route", options: TrainingRoute.allCases.map { ($0.rawValue, $0.label) },
                        selected: f["route"], problems: m.problems),
                    Form.radios(
                        "placement", legend: "Which placement is this?",
                        options: [
                            ("1", "First placement", nil), ("2", "Second placement (at a different school)", nil),
                        ],
                        selected: f["placement"] ?? "1", problems: m.problems),
                    Form.input(
                        "first_placement_urn", label: "For a second placement: the first placement school's URN",
                        value: f["first_placement_urn"] ?? "", kind: .number, problems: m.problems),
                    Form.input(
                        "home_postcode", label: "Home postcode", value: f["home_postcode"] ?? "", autocomplete: "off",
                        problems: m.problems),
                    Form.input(
                        "max_travel_km", label: "Furthest they can travel (km, straight line)",
                        value: f["max_travel_km"] ?? "25", kind: .number, problems: m.problems),
                    Form.checkbox(
                        "no_car", label: "No car (limits travel to \(Trainee.noCarLimitKm) km)",
                        checked: f["no_car"] == "true"),
                    Form.checkbox(
                        "send_interest", label: "Interested in a SEND placement", checked: f["send_interest"] == "true"),
                    Form.input(
                        "preferences", label: "Preferred schools (optional)",
                        hint: "Up to three URNs, most wanted first, separated by semicolons",
                        value: f["preferences"] ?? "",
                        problems: m.problems),
                    Form.submit("Add trainee")
                ),
            ])
    }
}
