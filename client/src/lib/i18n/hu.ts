/**
 * Hungarian, the workshop's language and the reference dictionary: every key
 * must exist here, and en.ts must translate all of them (the compiler checks).
 * Plain words for residents, not software jargon.
 */
export type Message = string | { one: string; other: string };

export const hu = {
  'app.tagline': 'Közös tábla közösségi műhelyekhez',
  'app.home': 'Kaptár kezdőlap',

  'home.join.title': 'Csatlakozás egy műhelyhez',
  'home.join.codeLabel': 'A műhely hatjegyű kódja',
  'home.join.submit': 'Tovább',
  'home.join.codeInvalid': 'A kód 6 számjegyből áll.',
  'home.create.title': 'Új műhely indítása',
  'home.create.who': 'Moderátoroknak',
  'home.create.titleLabel': 'A műhely címe',
  'home.create.placeholder': 'pl. Önsegítő csoportok – Alsóváros',
  'home.create.submit': 'Műhely létrehozása',
  'home.recent': 'Műhelyeid ezen az eszközön',
  'home.recent.moderator': 'moderátorként',
  'home.recent.participant': 'résztvevőként',

  'join.title': 'Csatlakozás a műhelyhez',
  'join.code': 'Kód: {code}',
  'join.name': 'A neved',
  'join.nameHint': 'Ezt a nevet látják a többiek.',
  'join.site': 'A településed',
  'join.siteHint': 'Ahonnan ma csatlakozol.',
  'join.submit': 'Belépek',

  'join.continueAs': 'Folytatás {name} néven',
  'join.orNew': 'Vagy lépj be új névvel:',
  'board.loading': 'A tábla betöltése…',
  'board.people': 'Résztvevők és meghívás',

  'kind.problem': 'Probléma',
  'kind.resource': 'Erőforrás',
  'kind.problem.many': 'Problémák',
  'kind.resource.many': 'Erőforrások',
  'add.problem': 'Probléma hozzáadása',
  'add.resource': 'Erőforrás hozzáadása',
  'add.placeholder.problem': 'Mi a gond? Pl. Este nincs buszjárat a városba.',
  'add.placeholder.resource': 'Mi segíthet? Pl. Üresen áll a régi iskola.',
  'add.label.problem': 'Új probléma',
  'add.label.resource': 'Új erőforrás',

  'card.save': 'Mentés',
  'card.cancel': 'Mégse',
  'card.edit': 'Szerkesztés',
  'card.delete': 'Törlés',
  'card.confirmDelete': 'Biztosan törlöd?',
  'card.charsLeft': { one: 'Még {count} karakter fér el', other: 'Még {count} karakter fér el' },
  'card.charsOver': {
    one: '{count} karakterrel hosszabb a kelleténél',
    other: '{count} karakterrel hosszabb a kelleténél',
  },
  'card.editLabel': 'A kártya szövege',
  'card.dragHint': 'A saját kártyáidat egérrel arrébb húzhatod.',
  'card.count': { one: '{count} kártya', other: '{count} kártya' },
  'card.none': 'Még nincs ilyen kártya. Írd le az elsőt!',
  'card.unknownAuthor': 'Ismeretlen',

  'status.connected': 'Kapcsolódva',
  'status.connecting': 'Kapcsolódás…',
  'status.reconnecting': 'Újrakapcsolódás…',
  'status.offline': 'Nincs internet – amit írsz, megmarad, és később elküldjük',

  'share.title': 'Hívd meg a résztvevőket',
  'share.code': 'Kód',
  'share.link': 'Csatlakozási link',
  'share.copy': 'Másolás',
  'share.copied': 'Kimásolva',
  'share.moderatorLink': 'Moderátor link – csak neked, ne add tovább',

  'people.title': 'Résztvevők',
  'people.summary': { one: '{online} / {count} online', other: '{online} / {count} online' },
  'people.online': 'online',
  'people.offline': 'nincs itt',
  'people.moderator': 'Moderátor',
  'people.you': '(te)',
  'people.empty': 'Még senki nem csatlakozott.',

  'lang.other': 'English',
  'lang.otherCode': 'en',

  'error.text-empty': 'Írj valamit a kártyára.',
  'error.text-too-long': 'Ez túl hosszú: legfeljebb {max} karakter fér el.',
  'error.invalid-kind': 'Ismeretlen kártyatípus.',
  'error.invalid-position': 'A kártyát nem lehet oda tenni.',
  'error.card-not-found': 'Ezt a kártyát közben törölték.',
  'error.not-author': 'Csak a saját kártyádat módosíthatod.',
  'error.network': 'Nem érjük el a szervert. Ellenőrizd az internetet, és próbáld újra.',
  'error.unknownCode': 'Nincs műhely ezzel a kóddal: {code}. Ellenőrizd a kódot.',
  'error.invalid': 'Ellenőrizd a megadott adatokat.',
  'error.sessionGone': 'Ez a link már nem érvényes. Csatlakozz újra a műhely kódjával.',
  'error.notFound': 'Ez az oldal nem létezik.',
  'error.backHome': 'Vissza a kezdőlapra',
} as const satisfies Record<string, Message>;

export type MessageKey = keyof typeof hu;
