import Domain
import Fluent
import Persistence
import Vapor

/// Sends email by putting it in the outbox and writing it to the log. Real delivery (SMTP) can replace the
/// logging later without changing callers.
struct Mailer {
    let request: Request

    func send(to person: Person, subject: String, body: String, on database: any Database) async throws {
        try await Outbox(database).enqueue(
            to: person.email, person: person.id, subject: subject, body: body, at: request.now)
        if request.application.configuration?.isProduction == true {
            request.logger.notice("Queued email to \(person.email): \(subject)")
        } else {
            request.logger.notice("Email to \(person.email): \(subject)\n\(body)")
        }
    }

    func link(_ token: String) -> String {
        (request.application.configuration?.publicURL ?? "http://127.0.0.1:8080") + "/links/" + token
    }
}
