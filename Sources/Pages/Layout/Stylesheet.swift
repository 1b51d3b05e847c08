/// The site's stylesheet: GOV.UK Design System patterns written as Chalkface's own CSS (no external assets,
/// so the product works offline). Colours and spacing follow the Design System's published values.
public enum Stylesheet {
    public static let path = "/assets/chalkface.css"

    public static let css = """
        *,*::before,*::after{box-sizing:border-box}
        html{background:#f3f2f1;-webkit-text-size-adjust:100%}
        body{margin:0;background:#fff;color:#0b0c0c;font-family:arial,"Helvetica Neue",helvetica,sans-serif;font-size:1.1875rem;line-height:1.32}
        a{color:#1d70b8;text-decoration:underline;text-decoration-thickness:max(1px,.0625rem);text-underline-offset:.1578em}
        a:visited{color:#4c2c92}
        a:hover{color:#003078;text-decoration-thickness:max(3px,.1875rem)}
        a:focus,button:focus,input:focus,select:focus,summary:focus{outline:3px solid transparent;background-color:#fd0;box-shadow:0 -2px #fd0,0 4px #0b0c0c;color:#0b0c0c;text-decoration:none}
        input:focus,select:focus{background-color:#fff;outline:3px solid #fd0;outline-offset:0;box-shadow:inset 0 0 0 2px #0b0c0c}
        .app-skip-link{position:absolute;left:-9999px;padding:10px 15px;background:#fd0;color:#0b0c0c}
        .app-skip-link:focus{left:0;top:0;z-index:10}
        .app-header{background:#0b0c0c;color:#fff;border-bottom:10px solid #1d70b8}
        .app-header__container{max-width:1020px;margin:0 auto;padding:10px 15px;display:flex;flex-wrap:wrap;align-items:baseline;gap:10px 30px}
        .app-header__logo{color:#fff;font-weight:700;font-size:1.875rem;text-decoration:none}
        .app-header__logo:visited,.app-header__logo:hover{color:#fff}
        .app-header__service{color:#fff;font-size:1.1875rem}
        .app-service-nav{background:#f3f2f1;border-bottom:1px solid #b1b4b6}
        .app-service-nav ul{max-width:1020px;margin:0 auto;padding:0 15px;list-style:none;display:flex;flex-wrap:wrap;gap:0 30px}
        .app-service-nav li{padding:12px 0 9px;border-bottom:4px solid transparent}
        .app-service-nav li[aria-current]{border-bottom-color:#1d70b8}
        .app-service-nav a{font-weight:700;text-decoration:none}
        .app-service-nav a:visited{color:#1d70b8}
        .app-phase-banner{max-width:1020px;margin:0 auto;padding:10px 15px;border-bottom:1px solid #b1b4b6;font-size:1rem}
        .app-header__account{margin-left:auto;display:flex;gap:15px;align-items:baseline;color:#fff}
        .app-header__account a,.app-header__account a:visited{color:#fff}
        .app-inline-form{display:inline}
        td .app-link-button,td a{display:inline-block;min-height:24px;line-height:24px;margin-right:12px}
        .app-details{margin:0 0 20px}.app-details summary{color:#1d70b8;cursor:pointer;text-decoration:underline}
        .app-columns{columns:2 240px}
        .app-link-button{font:inherit;background:none;border:0;padding:0;color:#fff;text-decoration:underline;cursor:pointer}
        main .app-link-button{color:#1d70b8}
        .app-form-group--error{border-left:5px solid #d4351c;padding-left:15px}
        .app-error-message{color:#d4351c;font-weight:700;margin:0 0 10px}
        .app-input--error{border-color:#d4351c}
        .app-input--short{max-width:20ex}
        .app-button--warning{background:#d4351c;box-shadow:0 2px 0 #55150b}
        .app-button--warning:hover{background:#aa2a16}
        .app-fieldset{border:0;margin:0;padding:0}
        .app-fieldset__legend{font-weight:700;margin-bottom:10px}
        .app-radio{display:flex;flex-wrap:wrap;align-items:center;gap:0 10px;margin-bottom:10px}
        .app-radio input{width:32px;height:32px;margin:0}
        .app-radio__hint{flex-basis:100%;padding-left:42px}
        .app-notification{border:5px solid #1d70b8;padding:15px 20px;margin-bottom:30px}
        .app-notification--success{border-color:#00703c}
        .app-notification h2{margin-top:0}
        .app-secret{font-family:monospace;font-size:1.1875rem;background:#f3f2f1;padding:10px;word-break:break-all;display:block}
        .app-warning-text{font-weight:700;border-left:10px solid #d4351c;padding-left:15px}
        .app-tag{display:inline-block;padding:2px 8px 3px;background:#cce2d8;color:#005a30;font-weight:700;font-size:1rem;margin-right:10px}
        .app-tag--blue{background:#bbd4ea;color:#0c2d4a}
        .app-tag--grey{background:#e5e6e7;color:#0b0c0c}
        .app-tag--red{background:#f4cdc6;color:#2a0b06}
        .app-width-container{max-width:1020px;margin:0 auto;padding:0 15px}
        main{padding:30px 0 45px;display:block}
        h1,.app-heading-xl{font-size:2.5rem;line-height:1.1;margin:0 0 30px;font-weight:700}
        h2,.app-heading-l{font-size:1.6875rem;line-height:1.15;margin:30px 0 20px;font-weight:700}
        h3,.app-heading-m{font-size:1.3125rem;margin:25px 0 15px;font-weight:700}
        .app-caption-l{display:block;color:#505a5f;font-size:1.3125rem;margin-bottom:5px}
        .app-body-l{font-size:1.5rem;line-height:1.25}
        p{margin:0 0 20px}
        .app-hint{color:#505a5f}
        .app-grid-row{display:flex;flex-wrap:wrap;margin:0 -15px}
        .app-grid-column-two-thirds{width:66.66%;padding:0 15px}
        .app-grid-column-one-third{width:33.33%;padding:0 15px}
        .app-grid-column-one-quarter{width:25%;padding:0 15px}
        @media (max-width:640px){.app-grid-column-two-thirds,.app-grid-column-one-third,.app-grid-column-one-quarter{width:100%}h1{font-size:2rem}}
        .app-breadcrumbs ol{list-style:none;margin:15px 0 0;padding:0;font-size:1rem}
        .app-breadcrumbs li{display:inline}
        .app-breadcrumbs li+li::before{content:"\\203A";margin:0 8px;color:#505a5f}
        .app-form-group{margin-bottom:20px}
        .app-label{display:block;font-weight:700;margin-bottom:5px}
        .app-input,.app-select{font:inherit;font-size:1.1875rem;padding:5px;border:2px solid #0b0c0c;border-radius:0;min-height:40px;width:100%;max-width:100%;background:#fff}
        .app-checkbox{display:flex;align-items:center;gap:10px}
        .app-checkbox input{width:32px;height:32px;margin:0}
        .app-button{font:inherit;font-size:1.1875rem;font-weight:400;color:#fff;background:#00703c;border:2px solid transparent;box-shadow:0 2px 0 #002d18;padding:8px 10px 7px;cursor:pointer;margin:0 15px 15px 0;display:inline-block;text-decoration:none}
        .app-button:hover{background:#005a30;color:#fff}
        .app-button--secondary{background:#f3f2f1;color:#0b0c0c;box-shadow:0 2px 0 #929191}
        .app-button--secondary:hover{background:#dbdad9;color:#0b0c0c}
        .app-filters{background:#f3f2f1;padding:15px 15px 5px;margin-bottom:30px}
        .app-filters .app-form-group{margin-bottom:15px}
        .app-filters h2{margin-top:0;font-size:1.5rem}
        .app-table{width:100%;border-collapse:collapse;margin-bottom:30px;font-size:1rem}
        @media (max-width:640px){.app-table{display:block;overflow-x:auto;max-width:100%}}
        .app-table caption{text-align:left;font-weight:700;font-size:1.3125rem;margin-bottom:10px}
        .app-table th,.app-table td{text-align:left;padding:10px 20px 10px 0;border-bottom:1px solid #b1b4b6;vertical-align:top}
        .app-nowrap{white-space:nowrap}
        .app-table td.app-numeric,.app-table th.app-numeric{text-align:right}
        .app-table .app-table__cell--numeric,.app-table .app-table__header--numeric{text-align:right}
        .app-table th.app-area-district{padding-left:1.5em;font-weight:400}
        .app-block{display:block}.app-indent{display:inline-block;padding-left:20px;font-weight:400}
        .app-summary-list{margin:0 0 30px;font-size:1.1875rem}
        .app-summary-list__row{display:flex;flex-wrap:wrap;border-bottom:1px solid #b1b4b6}
        .app-summary-list dt{font-weight:700;width:35%;padding:10px 20px 10px 0;margin:0}
        .app-summary-list dd{width:65%;padding:10px 0;margin:0}
        @media (max-width:640px){.app-summary-list dt,.app-summary-list dd{width:100%}.app-summary-list dd{padding-top:0}}
        .app-pagination{display:flex;flex-wrap:wrap;align-items:center;gap:10px 15px;margin:20px 0 30px;list-style:none;padding:0}
        .app-pagination a,.app-pagination span{display:inline-block;padding:5px 10px;font-weight:700}
        .app-pagination [aria-current]{background:#1d70b8;color:#fff;text-decoration:none}
        .app-stats{display:flex;flex-wrap:wrap;gap:20px;margin:0 0 30px;padding:0;list-style:none}
        .app-stats li{flex:1 1 180px;border-top:5px solid #1d70b8;padding-top:10px}
        .app-stats strong{display:block;font-size:2.5rem;line-height:1.1}
        .app-map{width:100%;height:auto;border:1px solid #b1b4b6;background:#f8f8f8;margin-bottom:10px}
        .app-map-caption{font-size:1rem;color:#505a5f;margin-bottom:30px}
        .app-error-summary{border:5px solid #d4351c;padding:15px;margin-bottom:30px}
        .app-error-summary h2{margin-top:0}
        .app-inset{border-left:10px solid #b1b4b6;padding:15px;margin:20px 0 30px}.app-chart{margin:0 0 30px;max-width:680px}.app-chart svg{width:100%;height:auto}.app-chart figcaption{font-size:16px;color:#505a5f}
        .app-warning{border-left:10px solid #d4351c;padding:15px;margin:20px 0 30px}
        .app-footer{background:#f3f2f1;border-top:1px solid #b1b4b6;padding:25px 0;font-size:1rem;color:#0b0c0c}
        .app-visually-hidden{position:absolute!important;width:1px!important;height:1px!important;margin:0!important;padding:0!important;overflow:hidden!important;clip:rect(0 0 0 0)!important;clip-path:inset(50%)!important;border:0!important;white-space:nowrap!important}
        .app-list{padding-left:20px;margin:0 0 20px}
        .app-list li{margin-bottom:5px}
        """
}
