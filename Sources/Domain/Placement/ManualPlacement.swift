import Foundation

/// Placing a trainee by hand: the schools of a run that could take them, nearest first, each with what placing
/// them there would displace. Choosing one pins the trainee there, which the next run honours.
public enum ManualPlacement {
    public struct Candidate: Sendable, Hashable {
        public var urn: URN
        public var name: String
        /// Straight-line metres from the trainee's home.
        public var distance: Int
        /// Places in the trainee's subject (or the school's SEND places, when `send`).
        public var places: Int
        /// Whether the place would be one of the school's SEND places.
        public var send: Bool
        public var trainedMentors: Int
        /// Trainees of the run holding those places.
        public var holders: [UUID]
        /// Trainees of the run at the school at all (each needs a trained mentor).
        public var atSchool: [UUID]
        /// When the school is full for this trainee: the trainees one of whom would have to move (those holding
        /// the places, or, when every trained mentor is busy, everyone placed there). Empty when there is room.
        public var wouldDisplace: [UUID] {
            if holders.count >= places { return holders }
            if atSchool.count >= trainedMentors { return atSchool }
            return []
        }
    }

    /// The schools that could take `trainee` under the run's rules: offering the subject (or SEND places when the
    /// trainee is interested in SEND) with a trained mentor, in the placement's terms, within their travel limit,
    /// not the first placement's school, and not forbidden to them.
    public static func candidates(
        for trainee: Trainee, offers: [PlacementOffer], hosts: [AllocationPlan.Host], plan: AllocationPlan,
        trainees: [Trainee], constraints: AllocationPlan.Constraints
    ) -> [Candidate] {
        let hostByURN = Dictionary(hosts.map { ($0.urn, $0) }, uniquingKeysWith: { a, _ in a })
        let subjectOf = Dictionary(trainees.map { ($0.id, $0.subject) }, uniquingKeysWith: { a, _ in a })
        var placedAt: [URN: [AllocationPlan.Outcome]] = [:]
        for o in plan.outcomes where o.trainee != trainee.id {
            if let urn = o.school { placedAt[urn, default: []].append(o) }
        }
        let terms = AllocationPlan.terms(ofPlacement: trainee.placement)
        let forbidden = constraints.forbidden[trainee.id] ?? []
        var result: [Candidate] = []
        for offer in offers where offer.appetite.offersPlaces && offer.trainedMentors > 0 {
            guard let host = hostByURN[offer.urn], offer.urn != trainee.firstPlacementURN,
                !forbidden.contains(offer.urn), !offer.terms.isDisjoint(with: terms)
            else { continue }
            let distance = Int(host.point.distance(to: trainee.home).rounded())
            guard distance <= trainee.travelLimitMetres else { continue }
            let here = placedAt[offer.urn] ?? []
            let subjectPlaces = offer.usablePlaces(trainee.subject)
            let send = subjectPlaces == 0 && trainee.sendInterest && offer.usableSendPlaces > 0
            guard subjectPlaces > 0 || send else { continue }
            let holders = here.filter { o in
                send ? o.sendPlace == true : o.sendPlace != true && subjectOf[o.trainee] == trainee.subject
            }.map(\.trainee)
            result.append(
                Candidate(
                    urn: offer.urn, name: host.name, distance: distance,
                    places: send ? offer.usableSendPlaces : subjectPlaces, send: send,
                    trainedMentors: offer.trainedMentors, holders: holders.sorted(),
                    atSchool: here.map(\.trainee).sorted()))
        }
        return result.sorted {
            ($0.wouldDisplace.isEmpty ? 0 : 1, $0.distance) < ($1.wouldDisplace.isEmpty ? 0 : 1, $1.distance)
        }
    }
}
