package io.frameq.frame;

import io.frameq.frame.FrameDecodeException.Reason;
import java.util.Optional;

/** What the JPEG/PNG decoders share: choosing the type, early size checks, error hints. */
final class StillImages {

    private StillImages() {}

    /** The declared content type when present (it must be one the decoder supports), else the sniffed one. */
    static ContentType resolveType(byte[] payload, FrameMetadata meta, FrameDecoder decoder) throws FrameDecodeException {
        Optional<ContentType> declared = meta.contentType();
        if (declared.isPresent()) {
            if (!decoder.supports(declared.get())) {
                throw new FrameDecodeException(Reason.UNKNOWN_CONTENT_TYPE, decoder.getClass().getSimpleName()
                        + " content-type: expected image/jpeg or image/png, actual " + declared.get().mime());
            }
            return declared.get();
        }
        Optional<ContentType> sniffed = ContentType.sniff(payload);
        if (sniffed.isPresent() && decoder.supports(sniffed.get())) {
            return sniffed.get();
        }
        throw new FrameDecodeException(Reason.UNKNOWN_CONTENT_TYPE, decoder.getClass().getSimpleName()
                + " content-type: no header and the first bytes " + Payloads.headHex(payload) + " are neither JPEG nor PNG");
    }

    /** Refuses an over-limit picture from its header, before any decoder allocates it. */
    static void checkHeaderDimensions(ContentType type, byte[] payload, DecodeLimits limits) throws FrameDecodeException {
        Optional<EncodedImageSize> size = EncodedImageSize.probe(type, payload);
        if (size.isPresent()) {
            limits.checkDimensions(type.mime() + " header", size.get().width(), size.get().height());
        }
    }

    /** Adds "the bytes look like PNG" to a CORRUPT error when the payload was mislabelled. */
    static FrameDecodeException withMislabelHint(FrameDecodeException e, ContentType declared, byte[] payload) {
        Optional<ContentType> sniffed = ContentType.sniff(payload);
        if (e.reason() != Reason.CORRUPT || sniffed.isEmpty() || sniffed.get() == declared) {
            return e;
        }
        return new FrameDecodeException(Reason.CORRUPT, e.getMessage() + " (the bytes look like " + sniffed.get().mime()
                + ", not the declared " + declared.mime() + ")", e);
    }
}
