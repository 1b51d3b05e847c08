import Foundation

/// A Cox proportional-hazards model fitted by Newton-Raphson on Efron's partial likelihood for tied times, as
/// lifelines' `CoxPHFitter` fits it. Covariates are centred and scaled while fitting (the estimates do not depend on
/// it) and reported on their own scale.
public struct CoxModel: Sendable, Hashable {
    public struct Coefficient: Sendable, Hashable {
        public var name: String
        public var coefficient: Double
        public var standardError: Double
        public var hazardRatio: Double { exp(coefficient) }
        public var hazardRatioLower: Double { exp(coefficient - KaplanMeier.z95 * standardError) }
        public var hazardRatioUpper: Double { exp(coefficient + KaplanMeier.z95 * standardError) }
        public var z: Double { coefficient / standardError }
        public var pValue: Double { Distributions.twoSidedNormal(z) }
    }

    public enum FitError: Error, Hashable, Sendable, CustomStringConvertible {
        case noEvents
        case noCovariates
        case constant(String)
        case didNotConverge(iterations: Int)
        case singular

        public var description: String {
            switch self {
            case .noEvents: "no one left: a hazard model needs at least one event"
            case .noCovariates: "name at least one covariate"
            case .constant(let name): "\(name) has the same value for everyone, so it cannot explain anything"
            case .didNotConverge(let n):
                "the fit did not converge in \(n) iterations (is a covariate separating the groups completely?)"
            case .singular: "the covariates are collinear: one of them is a combination of the others"
            }
        }
    }

    public var coefficients: [Coefficient]
    public var logLikelihood: Double
    public var iterations: Int
    public var observations: Int
    public var events: Int

    /// `covariates` is row-major, `names.count` values per person.
    public static func fit(
        _ data: SurvivalData, covariates x: [Double], names: [String], maxIterations: Int = 100
    ) throws(FitError) -> CoxModel {
        let n = data.count
        let p = names.count
        guard p > 0 else { throw .noCovariates }
        precondition(x.count == n * p)
        guard data.events.contains(true) else { throw .noEvents }
        // Centre and scale.
        var mean = [Double](repeating: 0, count: p)
        var scale = [Double](repeating: 0, count: p)
        for j in 0..<p {
            var s = 0.0
            for i in 0..<n { s += x[i * p + j] }
            mean[j] = s / Double(n)
            var q = 0.0
            for i in 0..<n {
                let d = x[i * p + j] - mean[j]
                q += d * d
            }
            scale[j] = (q / Double(max(n - 1, 1))).squareRoot()
            guard scale[j] > 0 else { throw .constant(names[j]) }
        }
        var z = [Double](repeating: 0, count: n * p)
        for i in 0..<n { for j in 0..<p { z[i * p + j] = (x[i * p + j] - mean[j]) / scale[j] } }

        // People grouped by time, latest first: the risk set grows as the sweep goes back in time.
        let index = TimeIndex(data.durations)
        let t = index.times.count
        var start = [Int](repeating: 0, count: t + 1)
        for k in index.index { start[Int(k) + 1] += 1 }
        for k in 0..<t { start[k + 1] += start[k] }
        var fill = start
        var zSorted = [Double](repeating: 0, count: n * p)
        var eventSorted = [Bool](repeating: false, count: n)
        for i in 0..<n {
            let k = Int(index.index[i])
            let slot = fill[k]
            fill[k] += 1
            for j in 0..<p { zSorted[slot * p + j] = z[i * p + j] }
            eventSorted[slot] = data.events[i]
        }
        let sorted = Sorted.compressing(z: zSorted, start: start, events: eventSorted, p: p)

        var beta = [Double](repeating: 0, count: p)
        var current = sorted.evaluate(beta)
        var iterations = 0
        var converged = false
        while iterations < maxIterations {
            iterations += 1
            var information = current.hessian
            for k in information.indices { information[k] = -information[k] }
            guard let delta = LinearAlgebra.solveSymmetric(information, current.gradient, size: p) else {
                throw .singular
            }
            var step = 1.0
            var candidate = beta
            var next = current
            while true {
                for j in 0..<p { candidate[j] = beta[j] + step * delta[j] }
                next = sorted.evaluate(candidate)
                if next.logLikelihood.isFinite,
                    next.logLikelihood >= current.logLikelihood - 1e-12 * abs(current.logLikelihood)
                {
                    break
                }
                step /= 2
                if step < 1e-10 { throw .didNotConverge(iterations: iterations) }
            }
            let change = delta.reduce(0) { max($0, abs($1)) } * step
            beta = candidate
            current = next
            if change < 1e-10 {
                converged = true
                break
            }
        }
        guard converged else { throw .didNotConverge(iterations: iterations) }
        var information = current.hessian
        for k in information.indices { information[k] = -information[k] }
        guard let inverse = LinearAlgebra.inverseSymmetric(information, size: p) else { throw .singular }
        let coefficients = (0..<p).map { j in
            Coefficient(
                name: names[j], coefficient: beta[j] / scale[j],
                standardError: inverse[j * p + j].squareRoot() / scale[j])
        }
        return CoxModel(
            coefficients: coefficients, logLikelihood: current.logLikelihood, iterations: iterations,
            observations: n, events: data.events.reduce(0) { $0 + ($1 ? 1 : 0) })
    }

    /// Covariates in time order (people of one time together), for the repeated evaluations.
    ///
    /// People who share a time, an event flag and every covariate contribute identically, so each such set is one
    /// row with a weight (its size): annual data with categorical covariates shrinks a hundredfold, and the
    /// likelihood, including Efron's correction over the tied events, is unchanged.
    struct Sorted {
        var z: [Double]
        var start: [Int]
        var events: [Bool]
        var weights: [Double]
        var p: Int

        static func compressing(z: [Double], start: [Int], events: [Bool], p: Int) -> Sorted {
            let n = events.count
            var size = 16
            while size < 2 * n { size *= 2 }
            let mask = size - 1
            // Open addressing over rows; a bucket belongs to the time group whose stamp it carries.
            var stamp = [Int32](repeating: -1, count: size)
            var slotOf = [Int32](repeating: 0, count: size)
            var outZ: [Double] = []
            var outEvents: [Bool] = []
            var outWeights: [Double] = []
            var outStart = [0]
            outZ.reserveCapacity(z.count)
            z.withUnsafeBufferPointer { z in
                for k in 0..<(start.count - 1) {
                    for row in start[k]..<start[k + 1] {
                        var h: UInt64 = events[row] ? 0x9E37_79B9_7F4A_7C15 : 0x2545_F491_4F6C_DD1D
                        for j in 0..<p {
                            h = (h ^ z[row * p + j].bitPattern) &* 0x100_0000_01B3
                            h ^= h >> 29
                        }
                        var b = Int(truncatingIfNeeded: h) & mask
                        while true {
                            if stamp[b] != Int32(k) {
                                stamp[b] = Int32(k)
                                slotOf[b] = Int32(outEvents.count)
                                for j in 0..<p { outZ.append(z[row * p + j]) }
                                outEvents.append(events[row])
                                outWeights.append(1)
                                break
                            }
                            let other = Int(slotOf[b])
                            var same = outEvents[other] == events[row]
                            if same {
                                for j in 0..<p where outZ[other * p + j] != z[row * p + j] {
                                    same = false
                                    break
                                }
                            }
                            if same {
                                outWeights[other] += 1
                                break
                            }
                            b = (b + 1) & mask
                        }
                    }
                    outStart.append(outEvents.count)
                }
            }
            return Sorted(z: outZ, start: outStart, events: outEvents, weights: outWeights, p: p)
        }

        struct Value {
            var logLikelihood: Double
            var gradient: [Double]
            var hessian: [Double]
        }

        /// Efron's log partial likelihood, its gradient and Hessian at `beta`.
        func evaluate(_ beta: [Double]) -> Value {
            let p = self.p
            var ll = 0.0
            var gradient = [Double](repeating: 0, count: p)
            var hessian = [Double](repeating: 0, count: p * p)
            // Risk-set sums (s), the sums over the ties at one time (t), and the scratch mean (zbar).
            var scratch = [Double](repeating: 0, count: 3 * p + 2 * p * p + p)
            z.withUnsafeBufferPointer { z in
                events.withUnsafeBufferPointer { events in
                    weights.withUnsafeBufferPointer { weights in
                        scratch.withUnsafeMutableBufferPointer { w in
                            gradient.withUnsafeMutableBufferPointer { g in
                                hessian.withUnsafeMutableBufferPointer { h in
                                    beta.withUnsafeBufferPointer { beta in
                                        let s1 = w.baseAddress!
                                        let t1 = s1 + p
                                        let zbar = t1 + p
                                        let s2 = zbar + p
                                        let t2 = s2 + p * p
                                        var s0 = 0.0
                                        for k in stride(from: start.count - 2, through: 0, by: -1) {
                                            var t0 = 0.0
                                            for j in 0..<p { t1[j] = 0 }
                                            for j in 0..<(p * p) { t2[j] = 0 }
                                            var d = 0.0
                                            for slot in start[k]..<start[k + 1] {
                                                let row = z.baseAddress! + slot * p
                                                var eta = 0.0
                                                for j in 0..<p { eta += row[j] * beta[j] }
                                                let w = weights[slot]
                                                let r = w * exp(eta)
                                                s0 += r
                                                let event = events[slot]
                                                if event {
                                                    d += w
                                                    ll += w * eta
                                                    t0 += r
                                                }
                                                for a in 0..<p {
                                                    let ra = r * row[a]
                                                    s1[a] += ra
                                                    for b in 0...a { s2[a * p + b] += ra * row[b] }
                                                    if event {
                                                        g[a] += w * row[a]
                                                        t1[a] += ra
                                                        for b in 0...a { t2[a * p + b] += ra * row[b] }
                                                    }
                                                }
                                            }
                                            guard d > 0 else { continue }
                                            let dd = d
                                            for l in 0..<Int(d) {
                                                let phi = Double(l) / dd
                                                let denominator = s0 - phi * t0
                                                ll -= log(denominator)
                                                for a in 0..<p {
                                                    zbar[a] = (s1[a] - phi * t1[a]) / denominator
                                                    g[a] -= zbar[a]
                                                }
                                                for a in 0..<p {
                                                    for b in 0...a {
                                                        h[a * p + b] -=
                                                            (s2[a * p + b] - phi * t2[a * p + b]) / denominator - zbar[
                                                                a]
                                                            * zbar[b]
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            for a in 0..<p { for b in 0..<a { hessian[b * p + a] = hessian[a * p + b] } }
            return Value(logLikelihood: ll, gradient: gradient, hessian: hessian)
        }
    }
}
