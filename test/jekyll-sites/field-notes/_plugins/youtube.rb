# frozen_string_literal: true

# {% youtube VIDEO_ID %} embeds a video through the privacy-enhanced domain.
module FieldNotes
  class YouTubeTag < Liquid::Tag
    def initialize(tag_name, markup, tokens)
      super
      @id = markup.strip
    end

    def render(_context)
      %(<div class="video-embed"><iframe src="https://www.youtube-nocookie.com/embed/#{@id}" title="YouTube video" allowfullscreen></iframe></div>)
    end
  end
end

Liquid::Template.register_tag("youtube", FieldNotes::YouTubeTag)
