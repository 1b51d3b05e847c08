import Domain
import Plot

/// GOV.UK form components: labelled inputs with hints and inline errors, an error summary that links to the
/// fields, and the hidden token every state-changing form carries.
public enum Form {
    /// The hidden field the server checks on every POST.
    public static func csrf(_ token: String) -> Node<HTML.FormContext> {
        .input(.type(.hidden), .name("csrf_token"), .value(Escape.attribute(token)))
    }

    /// "There is a problem", listing each problem as a link to its field.
    public static func errorSummary(_ problems: [ValidationError.Problem]) -> Node<HTML.BodyContext> {
        .if(
            !problems.isEmpty,
            .div(
                .class("app-error-summary"), .attribute(named: "role", value: "alert"),
                .attribute(named: "tabindex", value: "-1"),
                .h2(.text("There is a problem")),
                .ul(
                    .forEach(problems) {
                        .li(.a(.href("#\(Escape.attribute($0.field))"), .text($0.message)))
                    })
            ))
    }

    /// The red message above a field in error, read out as "Error: ..." by screen readers.
    static func errorMessage(_ id: String, _ error: String?) -> Node<HTML.FormContext> {
        .unwrap(error) {
            .p(
                .class("app-error-message"), .id("\(id)-error"),
                .span(.class("app-visually-hidden"), .text("Error: ")), .text($0))
        }
    }

    static func message(for field: String, in problems: [ValidationError.Problem]) -> String? {
        problems.first { $0.field == field }?.message
    }

    public enum InputKind: Sendable {
        case text, email, password, date, url
        /// Whole numbers: a text input with a numeric keyboard, as GOV.UK recommends.
        case number
    }

    public static func input(
        _ id: String, label: String, hint: String? = nil, value: String = "", kind: InputKind = .text,
        autocomplete: String? = nil, list: String? = nil, problems: [ValidationError.Problem] = []
    ) -> Node<HTML.FormContext> {
        let error = message(for: id, in: problems)
        let type: HTMLInputType =
            switch kind {
            case .text: .text
            case .email: .email
            case .password: .password
            case .date: .date
            case .url: .url
            case .number: .text
            }
        let described = [hint.map { _ in "\(id)-hint" }, error.map { _ in "\(id)-error" }].compactMap { $0 }
        return .div(
            .class(error == nil ? "app-form-group" : "app-form-group app-form-group--error"),
            .label(.class("app-label"), .for(id), .text(label)),
            .unwrap(hint) { .div(.class("app-hint"), .id("\(id)-hint"), .text($0)) },
            errorMessage(id, error),
            inputElement(
                [
                    (
                        "class",
                        (error == nil ? "app-input" : "app-input app-input--error")
                            + (kind == .number ? " app-input--short" : "")
                    ), ("id", id), ("name", id),
                    ("type", type.rawValue), ("value", value), ("autocomplete", autocomplete ?? ""),
                    ("aria-describedby", described.joined(separator: " ")),
                    ("spellcheck", kind == .email || kind == .password ? "false" : ""),
                    ("inputmode", kind == .number ? "numeric" : ""), ("list", list ?? ""),
                ])
        )
    }

    /// An `<input>` with the given attributes, leaving out empty ones and escaping every value.
    static func inputElement(_ attributes: [(String, String)]) -> Node<HTML.FormContext> {
        .selfClosedElement(
            named: "input",
            attributes: attributes.filter { !$0.1.isEmpty }.map {
                Attribute<HTML.FormContext>(name: $0.0, value: Escape.attribute($0.1))
            })
    }

    public static func select(
        _ id: String, label: String, hint: String? = nil, options: [(value: String, label: String)],
        selected: String?, problems: [ValidationError.Problem] = []
    ) -> Node<HTML.FormContext> {
        let error = message(for: id, in: problems)
        return .div(
            .class(error == nil ? "app-form-group" : "app-form-group app-form-group--error"),
            .label(.class("app-label"), .for(id), .text(label)),
            .unwrap(hint) { .div(.class("app-hint"), .id("\(id)-hint"), .text($0)) },
            errorMessage(id, error),
            .element(
                named: "select",
                nodes: [
                    .class("app-select"), .id(id), .attribute(named: "name", value: id),
                    .group(
                        options.map { o in
                            .element(
                                named: "option",
                                nodes: [
                                    .attribute(
                                        named: "value", value: Escape.attribute(o.value), ignoreIfValueIsEmpty: false),
                                    .if(o.value == selected, .attribute(named: "selected", value: "selected")),
                                    .text(o.label),
                                ])
                        }),
                ])
        )
    }

    /// Radio buttons in a fieldset with a legend.
    public static func radios(
        _ name: String, legend: String, hint: String? = nil, options: [(value: String, label: String, hint: String?)],
        selected: String?, problems: [ValidationError.Problem] = []
    ) -> Node<HTML.FormContext> {
        let error = message(for: name, in: problems)
        return .div(
            .class(error == nil ? "app-form-group" : "app-form-group app-form-group--error"),
            .fieldset(
                .class("app-fieldset"),
                .element(named: "legend", nodes: [.class("app-fieldset__legend"), .text(legend)]),
                .unwrap(hint) { .div(.class("app-hint"), .text($0)) },
                .unwrap(error) { .p(.class("app-error-message"), .id("\(name)-error"), .text($0)) },
                .group(
                    options.enumerated().map { i, o in
                        let id = i == 0 ? name : "\(name)-\(i + 1)"
                        return .div(
                            .class("app-radio"),
                            .input(
                                .type(.radio), .id(id), .name(name), .value(Escape.attribute(o.value)),
                                .checked(o.value == selected)),
                            .label(.for(id), .text(o.label)),
                            .unwrap(o.hint) { .div(.class("app-hint app-radio__hint"), .text($0)) }
                        )
                    })
            )
        )
    }

    public static func checkbox(_ id: String, label: String, checked: Bool) -> Node<HTML.FormContext> {
        .div(
            .class("app-form-group app-checkbox"),
            .input(.id(id), .name(id), .type(.checkbox), .value("true"), .checked(checked)),
            .label(.for(id), .text(label))
        )
    }

    /// A CSV upload: the problems with the last file (if any) as an alert, then a multipart form with one file
    /// field and its button.
    public static func upload(
        action: String, label: String, button: String, problems: [String], csrf token: String
    ) -> Node<HTML.BodyContext> {
        .group(
            .if(
                !problems.isEmpty,
                .div(
                    .class("app-error-summary"), .id("upload-problems"), .attribute(named: "role", value: "alert"),
                    .h2(.class("app-error-summary__title"), .text("The file was not imported")),
                    .ul(.forEach(problems) { .li(.text($0)) }))),
            .form(
                .method(.post), .action(action), .attribute(named: "enctype", value: "multipart/form-data"),
                csrf(token),
                .div(
                    .class("app-form-group"),
                    .label(.class("app-label"), .for("file"), .text(label)),
                    .input(
                        .id("file"), .name("file"), .type(.file), .attribute(named: "accept", value: ".csv,text/csv"))),
                submit(button)))
    }

    public static func submit(_ text: String, warning: Bool = false, secondary: Bool = false)
        -> Node<HTML.FormContext>
    {
        .button(
            .class(
                warning
                    ? "app-button app-button--warning" : secondary ? "app-button app-button--secondary" : "app-button"),
            .type(.submit), .text(text))
    }

    /// A form with one button that posts to `action`: sign out, revoke, deactivate.
    public static func button(_ text: String, action: String, csrf token: String, warning: Bool = false)
        -> Node<HTML.BodyContext>
    {
        .form(
            .method(.post), .action(Escape.attribute(action)), .class("app-inline-form"), csrf(token),
            submit(text, warning: warning, secondary: !warning))
    }

    /// A multi-line text field with its label, hint and error message.
    public static func textarea(
        _ id: String, label: String, hint: String?, value: String, problems: [ValidationError.Problem]
    ) -> Node<HTML.FormContext> {
        let error = problems.first { $0.field == id }?.message
        return .div(
            .class(error == nil ? "app-form-group" : "app-form-group app-form-group--error"),
            .label(.class("app-label"), .for(id), .text(label)),
            .unwrap(hint) { .div(.class("app-hint"), .id("\(id)-hint"), .text($0)) },
            .unwrap(error) {
                .p(
                    .class("app-error-message"), .id("\(id)-error"),
                    .span(.class("app-visually-hidden"), .text("Error: ")), .text($0))
            },
            .textarea(
                .class(error == nil ? "app-input" : "app-input app-input--error"), .id(id), .name(id),
                .attribute(named: "rows", value: "5"),
                .attribute(
                    named: "aria-describedby",
                    value: [hint.map { _ in "\(id)-hint" }, error.map { _ in "\(id)-error" }].compactMap { $0 }.joined(
                        separator: " ")),
                .text(value)))
    }

    /// Checkboxes for a set of values, in columns; `form[name]` holds the chosen raw values joined by ";".
    public static func checkboxes<T: RawRepresentable & CaseIterable>(
        _ name: String, _ legend: String, _: T.Type, _ label: (T) -> String, form f: [String: String],
        hint: String = "Choose none for any", problems: [ValidationError.Problem] = []
    ) -> Node<HTML.FormContext> where T.RawValue == String {
        checkboxes(
            name, legend, options: T.allCases.map { ($0.rawValue, label($0)) }, form: f, hint: hint,
            problems: problems)
    }

    /// Checkboxes for the options, in columns; `form[name]` holds the chosen values joined by ";".
    public static func checkboxes(
        _ name: String, _ legend: String, options: [(value: String, label: String)], form f: [String: String],
        hint: String, problems: [ValidationError.Problem] = []
    ) -> Node<HTML.FormContext> {
        let chosen = Set((f[name] ?? "").split(separator: ";").map(String.init))
        let error = message(for: name, in: problems)
        return .div(
            .class(error == nil ? "app-form-group" : "app-form-group app-form-group--error"),
            .fieldset(
                .class("app-fieldset"),
                .element(named: "legend", nodes: [.class("app-fieldset__legend"), .text(legend)]),
                .div(.class("app-hint"), .text(hint)),
                .unwrap(error) { .p(.class("app-error-message"), .id("\(name)-error"), .text($0)) },
                .div(
                    .class("app-columns"),
                    .forEach(Array(options.enumerated())) { i, o in
                        .div(
                            .class("app-checkbox"),
                            .input(
                                .type(.checkbox), .id("\(name)-\(i + 1)"), .name(name), .value(o.value),
                                .checked(chosen.contains(o.value))),
                            .label(.for("\(name)-\(i + 1)"), .text(o.label)))
                    })))
    }

    /// Options for a filter's select: "Any" (no value), then every case by its label.
    public static func anyOptions<T: RawRepresentable & CaseIterable>(_: T.Type, _ label: (T) -> String) -> [(
        value: String, label: String
    )] where T.RawValue == String {
        [(value: "", label: "Any")] + T.allCases.map { (value: $0.rawValue, label: label($0)) }
    }
}
