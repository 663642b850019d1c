"""Real first and last names for the benchmark data (pbxapi.db.benchdata), by country.

Each list is ordered roughly from the most to the least common name in that country, so
that a rank-skewed (Zipf-like) draw gives a realistic spread: a few names are very common,
most are rare. Names are separated by commas; a name may hold a space ("van Dijk").
"""


def _names(text: str) -> tuple[str, ...]:
    seen = dict.fromkeys(name.strip() for name in text.replace("\n", ",").split(","))
    return tuple(name for name in seen if name)


DANISH_FIRST = _names("""
Anne, Peter, Kirsten, Jens, Mette, Michael, Hanne, Lars, Anna, Henrik, Helle, Søren,
Susanne, Thomas, Lene, Jan, Maria, Niels, Marianne, Christian, Lone, Martin, Camilla,
Jørgen, Pia, Hans, Louise, Anders, Charlotte, Rasmus, Inge, Morten, Bente, Jesper,
Tina, Mads, Gitte, Per, Karen, Ole, Julie, Mikkel, Ida, Erik, Emma, Frederik, Sofie,
Kim, Birgitte, Jakob, Kristina, Steen, Dorte, Bo, Eva, Brian, Heidi, Poul, Laura,
Carsten, Signe, Torben, Rikke, Anette, Kasper, Cecilie, Claus, Jette, Flemming,
Katrine, Allan, Ulla, John, Annette, Mathias, Karin, Nikolaj, Lotte, Finn, Vibeke,
Kenneth, Maja, Tommy, Line, René, Trine, Johannes, Birthe, Jonas, Sanne, Nicolai,
Ellen, Simon, Freja, Kurt, Marie, Bjarne, Mia, Jacob, Grethe, Kristian, Ida Marie,
Daniel, Sara, Carl, Nanna, Oliver, Tove, Emil, Malene, Lasse, Else, Anton, Josefine,
Victor, Ingrid, William, Lise, Magnus, Sussi, Lucas, Bodil, Alexander, Vivi, Jonathan,
Marlene, Villads, Clara, Malthe, Stine, Sebastian, Karina, Noah, Isabella, Tobias,
Astrid, Oscar, Alberte, Benjamin, Caroline, Gustav, Agnes, August, Mathilde, Elias,
Frida, Valdemar, Amalie, Adam, Ella, Philip, Liv, Aksel, Olivia, Arthur, Alma,
Christoffer, Asta, Dennis, Katja, Henning, Merete, Preben, Winnie, Svend, Connie,
Leif, Jeanette, Knud, Bettina, Arne, Dorthe, Erling, Hanna, Palle, Pernille, Villy,
Ruth, Ib, Ditte, Gert, Mona, Bent, Tanja, Holger, Britt, Jannik, Elsebeth, Esben,
Randi, Troels, Tenna, Ulrik, Rie, Asger, Solveig, Børge, Åse, Øjvind, Ærling,
Frederikke, Sune, Ebbe, Thorkild, Sigrid, Birgit, Kaj, Nina, Verner, Gunhild
""")

SWEDISH_FIRST = _names("""
Anna, Lars, Eva, Mikael, Maria, Anders, Karin, Johan, Kristina, Per, Lena, Erik,
Sara, Karl, Emma, Peter, Ingrid, Jan, Kerstin, Thomas, Marie, Daniel, Malin, Fredrik,
Elin, Hans, Linnéa, Stefan, Ida, Mats, Birgitta, Magnus, Sofia, Andreas, Hanna,
Bengt, Ulla, Martin, Inger, Björn, Elisabeth, Jonas, Julia, Mattias, Annika, Nils,
Margareta, Alexander, Johanna, Gustav, Cecilia, Sven, Susanne, Oskar, Camilla, Leif,
Ebba, Henrik, Frida, Göran, Amanda, Niklas, Matilda, Ulf, Wilma, Patrik, Alva,
Robert, Agnes, Olof, Elsa, Gunnar, Astrid, Joakim, Maja, Tobias, Klara, Viktor,
Linda, Åsa, Håkan, Jenny, Kjell, Sanna, Roger, Therese, Rickard, Lisa, Sebastian,
Tove, Filip, Ylva, Axel, Moa, Hugo, Saga, Emil, Stina, Ludvig, Vera, Hampus, Signe,
Kalle, Siv, Torbjörn, Gunilla, Pontus, Ronja, Jesper, Märta, Isak, Ingela, Lennart,
Britt
""")

NORWEGIAN_FIRST = _names("""
Anne, Jan, Inger, Per, Kari, Bjørn, Marit, Ole, Ingrid, Lars, Liv, Kjell, Eva,
Knut, Berit, Arne, Astrid, Svein, Bjørg, Thomas, Hilde, Hans, Anna, Geir, Solveig,
Tor, Marianne, Morten, Randi, Terje, Ida, Odd, Nina, Erik, Elisabeth, Martin, Kristin,
Andreas, Bente, John, Heidi, Anders, Silje, Rune, Hanne, Trond, Gunn, Tore, Ragnhild,
Jon, Tone, Harald, Turid, Kristian, Maria, Espen, Ingeborg, Stian, Camilla, Øyvind,
Line, Gunnar, Sigrid, Helge, Wenche, Magnus, Linda, Øystein, Karin, Jørgen, Åse,
Eirik, Grete, Sindre, Torill, Håkon, Unni, Vegard, Mari, Even, Ellen, Sondre, Nora,
Henrik, Emilie, Sverre, Ingvild, Jakob, Frida, Sigurd, Thea, Eivind, Synnøve, Audun,
Guro, Halvor, Ragnar, Torstein, Vibeke, Kåre, Oddny
""")

FINNISH_FIRST = _names("""
Juha, Maria, Timo, Helena, Matti, Johanna, Kari, Anneli, Mikko, Kaarina, Jari,
Marjatta, Antti, Anna, Jukka, Liisa, Mika, Annikki, Markku, Hannele, Pekka, Tuula,
Hannu, Päivi, Heikki, Riitta, Seppo, Leena, Janne, Sari, Ari, Minna, Sami, Anne,
Ville, Tiina, Petri, Pirjo, Marko, Sirpa, Tuomas, Merja, Jussi, Satu, Lauri, Eeva,
Eero, Aino, Olli, Laura, Risto, Kirsi, Esa, Outi, Veikko, Heli, Tapio, Emilia, Aleksi,
Elina, Joonas, Milla
""")

GERMAN_FIRST = _names("""
Thomas, Sabine, Michael, Andrea, Andreas, Petra, Peter, Claudia, Stefan, Susanne,
Wolfgang, Monika, Klaus, Birgit, Jürgen, Gabriele, Frank, Ursula, Christian, Karin,
Uwe, Stefanie, Markus, Nicole, Bernd, Heike, Matthias, Katrin, Martin, Julia, Thorsten,
Anja, Daniel, Sandra, Sebastian, Christina, Alexander, Martina, Jan, Silke, Tobias,
Angelika, Florian, Renate, Dieter, Maria, Jens, Anna, Holger, Kerstin, Jörg, Ute,
Manfred, Brigitte, Ralf, Barbara, Sven, Tanja, Dirk, Melanie, Oliver, Katharina,
Gerhard, Christine, Werner, Ingrid, Helmut, Elke, Günter, Ulrike, Rainer, Simone,
Lukas, Lena, Felix, Laura, Maximilian, Lea, Jonas, Sarah, Paul, Hannah, Leon, Lisa,
Tim, Johanna, Niklas, Sophie, Philipp, Emma, Jonathan, Marie, Moritz, Lara, Benjamin,
Jana, Dominik, Vanessa, Patrick, Franziska, Simon, Carina, Fabian, Miriam, Marcel,
Theresa, Lars, Nadine, Kai, Jasmin, Marc, Annika, Heiko, Doris, Volker, Gisela,
Hans, Helga, Karl, Ilse, Horst, Erika, Heinz, Hildegard, Rolf, Inge, Georg, Marianne,
Friedrich, Waltraud, Otto, Rosemarie, Ludwig, Gudrun, Konrad, Anke, Reinhard, Dagmar,
Torsten, Bettina, Carsten, Jutta, Henning, Frauke, Hauke, Wiebke
""")

ENGLISH_FIRST = _names("""
James, Mary, John, Patricia, Robert, Jennifer, Michael, Linda, David, Elizabeth,
William, Barbara, Richard, Susan, Joseph, Jessica, Thomas, Sarah, Christopher, Karen,
Charles, Lisa, Daniel, Nancy, Matthew, Betty, Anthony, Sandra, Mark, Margaret, Donald,
Ashley, Steven, Kimberly, Andrew, Emily, Paul, Donna, Joshua, Michelle, Kenneth,
Carol, Kevin, Amanda, Brian, Melissa, George, Deborah, Timothy, Stephanie, Ronald,
Dorothy, Jason, Rebecca, Edward, Sharon, Jeffrey, Laura, Ryan, Cynthia, Jacob, Amy,
Gary, Kathleen, Nicholas, Angela, Eric, Shirley, Jonathan, Brenda, Stephen, Emma,
Larry, Anna, Justin, Pamela, Scott, Nicole, Brandon, Samantha, Benjamin, Katherine,
Samuel, Christine, Gregory, Helen, Alexander, Debra, Patrick, Rachel, Frank, Carolyn,
Raymond, Janet, Jack, Maria, Dennis, Catherine, Jerry, Heather, Tyler, Diane, Aaron,
Olivia, Jose, Julie, Adam, Joyce, Nathan, Victoria, Henry, Ruth, Zachary, Virginia,
Douglas, Lauren, Peter, Kelly, Kyle, Christina, Noah, Joan, Ethan, Evelyn, Jeremy,
Judith, Walter, Andrea, Christian, Hannah, Keith, Megan, Roger, Cheryl, Terry, Jacqueline,
Austin, Martha, Sean, Madison, Gerald, Teresa, Carl, Gloria, Harold, Sara, Dylan,
Janice, Arthur, Ann, Lawrence, Kathryn, Jordan, Abigail, Jesse, Sophia, Bryan, Frances,
Billy, Jean, Bruce, Alice, Gabriel, Judy, Joe, Isabella, Logan, Julia, Alan, Grace,
Juan, Amber, Albert, Denise, Willie, Danielle, Elijah, Marilyn, Wayne, Beverly, Randy,
Charlotte, Vincent, Natalie, Mason, Theresa, Roy, Diana, Ralph, Brittany, Bobby,
Doris, Russell, Kayla, Bradley, Alexis, Philip, Lori, Eugene, Marie, Oliver, Amelia,
Harry, Lily, George, Poppy, Alfie, Isla, Charlie, Freya, Freddie, Ava, Archie, Millie,
Theo, Ella, Leo, Evie, Oscar, Sophie, Finley, Chloe, Callum, Imogen, Liam, Niamh,
Connor, Siobhan, Rhys, Megan, Ewan, Eilidh, Hamish, Fiona, Declan, Aoife
""")

DUTCH_FIRST = _names("""
Jan, Maria, Johannes, Anna, Cornelis, Johanna, Hendrik, Elisabeth, Willem, Cornelia,
Pieter, Wilhelmina, Gerrit, Hendrika, Jacobus, Petronella, Adrianus, Geertruida,
Dirk, Margaretha, Sander, Anouk, Daan, Sanne, Bram, Lotte, Thijs, Femke, Ruben,
Fleur, Joost, Marieke, Bas, Esther, Niels, Inge, Maarten, Ilse, Jeroen, Marloes,
Sjoerd, Annemarie, Wouter, Mirjam, Koen, Saskia, Tim, Eva, Stijn, Lieke, Jesse,
Femke, Gijs, Noor, Luuk, Roos, Teun, Floor, Sem, Tess, Lars, Jasper, Wim, Henk, Ria,
Kees, Joke, Hans, Ineke
""")

POLISH_FIRST = _names("""
Anna, Piotr, Maria, Krzysztof, Katarzyna, Andrzej, Małgorzata, Tomasz, Agnieszka,
Jan, Barbara, Paweł, Ewa, Michał, Krystyna, Marcin, Elżbieta, Stanisław, Magdalena,
Jakub, Joanna, Adam, Zofia, Marek, Aleksandra, Łukasz, Monika, Grzegorz, Teresa,
Mateusz, Danuta, Wojciech, Natalia, Mariusz, Karolina, Dariusz, Marta, Zbigniew,
Beata, Jerzy, Dorota, Maciej, Halina, Rafał, Jadwiga, Kamil, Alicja, Robert, Iwona,
Szymon, Justyna, Bartosz, Julia, Kacper, Zuzanna, Dawid, Wiktoria, Sebastian, Oliwia,
Przemysław, Weronika
""")

SOUTHERN_FIRST = _names("""
Marco, Giulia, Giuseppe, Francesca, Giovanni, Chiara, Antonio, Sara, Alessandro,
Valentina, Luca, Martina, Andrea, Federica, Francesco, Elena, Matteo, Alessia,
Lorenzo, Sofia, Jean, Marie, Pierre, Nathalie, Philippe, Isabelle, Nicolas, Sylvie,
François, Catherine, Julien, Camille, Mathieu, Céline, Antoine, Émilie, Louis,
Chloé, Hugo, Manon, José, Carmen, Manuel, Laura, Javier, Lucía, Carlos, Marta,
David, Paula, Pablo, Elena, Alejandro, Cristina, Miguel, Ana, João, Beatriz,
Rui, Inês, Ahmed, Fatima, Mohammed, Aisha, Ali, Leyla, Mehmet, Elif, Mustafa, Zeynep,
Hassan, Yasmin, Omar, Amira
""")

DANISH_LAST = _names("""
Nielsen, Jensen, Hansen, Pedersen, Andersen, Christensen, Larsen, Sørensen,
Rasmussen, Jørgensen, Petersen, Madsen, Kristensen, Olsen, Thomsen, Christiansen,
Poulsen, Johansen, Møller, Mortensen, Knudsen, Jakobsen, Jacobsen, Mikkelsen, Olesen,
Frederiksen, Laursen, Henriksen, Lund, Schmidt, Eriksen, Holm, Kristiansen, Clausen,
Simonsen, Svendsen, Andreasen, Iversen, Jeppesen, Mogensen, Jespersen, Nissen,
Lauridsen, Frandsen, Østergaard, Jepsen, Kjær, Carlsen, Vestergaard, Jessen, Nørgaard,
Dahl, Christoffersen, Skov, Søndergaard, Bertelsen, Bruun, Lassen, Bach, Gregersen,
Friis, Johnsen, Steffensen, Kjeldsen, Bech, Krogh, Lauritsen, Danielsen, Mathiesen,
Andresen, Brandt, Winther, Toft, Ravn, Mathiasen, Dam, Holst, Nilsson, Lind, Berg,
Schou, Overgaard, Kristoffersen, Schultz, Klausen, Karlsen, Paulsen, Hermansen,
Thorsen, Koch, Thygesen, Bak, Kruse, Bang, Juhl, Davidsen, Berthelsen, Nygaard,
Lorentzen, Villadsen, Lorenzen, Damgaard, Bjerre, Lange, Hedegaard, Bendtsen,
Lauritzen, Svensson, Justesen, Juul, Hald, Beck, Kofoed, Søgaard, Meyer, Kjærgaard,
Riis, Johannsen, Carstensen, Bonde, Ibsen, Fischer, Andersson, Bundgaard, Johannesen,
Eskildsen, Hemmingsen, Andreassen, Thomassen, Schrøder, Persson, Hjorth, Enevoldsen,
Nguyen, Henningsen, Jonassen, Mørk, Mølgaard, Haugaard, Thomasen, Brodersen, Vinther,
Bjerg, Kirkegaard, Krog, Sloth, Bisgaard, Ahmed, Storm, Mouritsen, Markussen, Ebbesen,
Rask, Fabricius, Vad, Dalgaard, Bille, Schmidt-Nielsen, Bagger, Bering, Blom, Brix,
Buch, Busk, Degn, Eskesen, Fog, Gram, Grøn, Hauge, Hougaard, Høj, Kirk, Kock, Krag,
Lynge, Lyng, Munk, Mølholm, Nørregaard, Obel, Pilgaard, Plougmann, Quist, Rosenberg,
Rytter, Skytte, Stenholt, Sand, Sejer, Stokholm, Tang, Thrane, Tofte, Vang, Westergaard,
Wulff, Ørsted, Aagaard, Aabye
""")

SWEDISH_LAST = _names("""
Andersson, Johansson, Karlsson, Nilsson, Eriksson, Larsson, Olsson, Persson,
Svensson, Gustafsson, Pettersson, Jonsson, Jansson, Hansson, Bengtsson, Jönsson,
Lindberg, Jakobsson, Magnusson, Olofsson, Lindström, Lindqvist, Lindgren, Berg,
Axelsson, Bergström, Lundberg, Lind, Lundgren, Lundqvist, Mattsson, Berglund,
Fredriksson, Sandberg, Henriksson, Forsberg, Sjöberg, Ali, Wallin, Mohammed,
Engström, Eklund, Danielsson, Lundin, Håkansson, Björk, Bergman, Gunnarsson, Holm,
Wikström, Samuelsson, Isaksson, Fransson, Bergqvist, Nyström, Holmberg, Arvidsson,
Löfgren, Söderberg, Nyberg, Blomqvist, Claesson, Nordström, Mårtensson, Lundström,
Ahmed, Viklund, Björklund, Eliasson, Pålsson, Hassan, Berggren, Sandström, Lund,
Nordin, Ström, Åberg, Hermansson, Ekström, Holmgren, Sundberg, Hedlund, Dahlberg,
Hellström, Sjögren, Abrahamsson, Falk, Martinsson, Öberg, Andreasson, Strömberg,
Månsson, Åkesson, Hansen, Norberg, Lindholm, Dahl, Jonasson, Blom, Sundström,
Åström, Sjöström, Ekberg, Lindahl, Nyman, Holmqvist, Hedberg, Fors, Strand, Hedström,
Lindblom, Wallgren, Berglöf, Söderström, Engberg
""")

NORWEGIAN_LAST = _names("""
Hansen, Johansen, Olsen, Larsen, Andersen, Pedersen, Nilsen, Kristiansen, Jensen,
Karlsen, Johnsen, Pettersen, Eriksen, Berg, Haugen, Hagen, Johannessen, Andreassen,
Jacobsen, Dahl, Jørgensen, Halvorsen, Henriksen, Lund, Sørensen, Jakobsen, Moen,
Gundersen, Iversen, Strand, Solberg, Svendsen, Eide, Knutsen, Martinsen, Paulsen,
Bakken, Kristoffersen, Mathisen, Lie, Amundsen, Nguyen, Rasmussen, Ali, Lunde,
Solheim, Berntsen, Nygård, Bakke, Kristensen, Moe, Fredriksen, Holm, Lien, Hauge,
Christensen, Andresen, Nielsen, Knudsen, Evensen, Sæther, Aas, Myhre, Hanssen,
Ahmed, Haugland, Thomassen, Sivertsen, Simonsen, Danielsen, Berge, Næss, Jenssen,
Eliassen, Ødegård, Tangen, Aasen, Mikkelsen, Hovland, Engen, Dale, Vik, Sandvik,
Brekke, Ruud, Bjørnstad, Fjeld, Ellingsen, Rønning, Aune, Tveit, Hoff, Myklebust,
Sunde, Stene, Hovde, Vold, Bratli, Grønli, Haugan
""")

FINNISH_LAST = _names("""
Korhonen, Virtanen, Mäkinen, Nieminen, Mäkelä, Hämäläinen, Laine, Heikkinen,
Koskinen, Järvinen, Lehtonen, Lehtinen, Saarinen, Salminen, Heinonen, Niemi,
Heikkilä, Kinnunen, Salonen, Turunen, Salo, Laitinen, Tuominen, Rantanen, Karjalainen,
Jokinen, Mattila, Savolainen, Lahtinen, Ahonen, Hiltunen, Hirvonen, Kiiskinen,
Leppänen, Miettinen, Pitkänen, Aaltonen, Manninen, Hyvönen, Vainio, Lindholm,
Väisänen, Lindqvist, Koivisto, Hakala, Kallio, Peltonen, Räsänen, Anttila, Ojala,
Kettunen, Seppälä, Honkanen, Lindroos, Toivonen, Mustonen, Nurmi, Rissanen, Halonen,
Valtonen
""")

GERMAN_LAST = _names("""
Müller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Schulz, Hoffmann,
Schäfer, Koch, Bauer, Richter, Klein, Wolf, Schröder, Neumann, Schwarz, Zimmermann,
Braun, Krüger, Hofmann, Hartmann, Lange, Schmitt, Werner, Schmitz, Krause, Meier,
Lehmann, Schmid, Schulze, Maier, Köhler, Herrmann, König, Walter, Mayer, Huber,
Kaiser, Fuchs, Peters, Lang, Scholz, Möller, Weiß, Jung, Hahn, Schubert, Vogel,
Friedrich, Keller, Günther, Frank, Berger, Winkler, Roth, Beck, Lorenz, Baumann,
Franke, Albrecht, Schuster, Simon, Ludwig, Böhm, Winter, Kraus, Martin, Schumacher,
Krämer, Vogt, Stein, Jäger, Otto, Sommer, Groß, Seidel, Heinrich, Brandt, Haas,
Schreiber, Graf, Schulte, Dietrich, Ziegler, Kuhn, Kühn, Pohl, Engel, Horn, Busch,
Bergmann, Thomas, Voigt, Sauer, Arnold, Wolff, Pfeiffer, Lindner, Ernst, Hübner,
Kramer, Franz, Beyer, Wolter, Seifert, Peter, Jansen, Kessler, Witt, Hansen, Bremer,
Petersen, Thiel, Ahrens, Paulsen, Brandes, Lüdtke, Harms, Claussen, Sievers, Jessen,
Carstens, Rohde, Dittmer, Schwab, Hermann, Kurz, Marx, Kaufmann, Lenz, Nagel, Böttcher,
Gerlach, Wendt, Stahl, Brinkmann, Reuter, Ebert, Haase, Menzel, Schilling, Fiedler,
Wagener, Behrens
""")

ENGLISH_LAST = _names("""
Smith, Johnson, Williams, Brown, Jones, Garcia, Miller, Davis, Rodriguez, Martinez,
Hernandez, Lopez, Wilson, Anderson, Taylor, Thomas, Moore, Jackson, Martin, Lee,
Thompson, White, Harris, Clark, Lewis, Robinson, Walker, Young, Allen, King, Wright,
Scott, Hill, Green, Adams, Nelson, Baker, Hall, Campbell, Mitchell, Carter, Roberts,
Phillips, Evans, Turner, Parker, Collins, Edwards, Stewart, Morris, Murphy, Cook,
Rogers, Morgan, Cooper, Peterson, Bailey, Reed, Kelly, Howard, Cox, Ward, Richardson,
Watson, Brooks, Wood, James, Bennett, Gray, Hughes, Price, Sanders, Myers, Long,
Ross, Foster, Powell, Jenkins, Perry, Russell, Sullivan, Bell, Coleman, Butler,
Henderson, Barnes, Fisher, Vasquez, Simmons, Graham, Marshall, Owens, Harrison,
Gibson, Wallace, Ellis, Hamilton, Henry, Patterson, Reynolds, Jordan, Hayes, Griffin,
Ford, Porter, Kennedy, Wells, Cole, West, Hunt, Palmer, Black, Robertson, Holmes,
Stone, Knight, Fox, Hunter, Mills, Shaw, Lloyd, Bradley, Ryan, Webb, Dixon, Hudson,
Burns, Lawrence, Pearson, Chapman, Dean, Fletcher, Murray, Hart, Gordon, Kerr,
Ferguson, Davies, Jones-Davies, O'Brien, O'Connor, O'Neill, McCarthy, Walsh, Byrne,
Doyle, Kavanagh, Quinn, Fitzgerald, McDonald, MacLeod, Campbell-Reid, Fraser, Reid,
Paterson, Cameron, Duncan, Grant, Hughes-Jones, Rees, Price-Williams, Vaughan,
Bishop, Booth, Burton, Carr, Chambers, Dawson, Day, Elliott, Farrell, Gill, Hammond,
Harper, Hicks, Hopkins, Jennings, Lambert, Lane, Lowe, Mason, Moss, Newman, Nicholls,
Norman, Page, Payne, Pollard, Rhodes, Saunders, Sharp, Spencer, Steele, Sutton,
Tucker, Wade, Walton, Warren, Watts, Wheeler, Whitehead
""")

DUTCH_LAST = _names("""
de Jong, Jansen, de Vries, van den Berg, van Dijk, Bakker, Janssen, Visser, Smit,
Meijer, de Boer, Mulder, de Groot, Bos, Vos, Peters, Hendriks, van Leeuwen, Dekker,
Brouwer, de Wit, Dijkstra, Smits, de Graaf, van der Meer, van der Linden, Kok,
Jacobs, de Haan, Vermeulen, van den Heuvel, van der Veen, van den Broek, de Bruijn,
de Bruin, van der Heijden, Schouten, van Beek, Willems, van Vliet, van de Ven,
Hoekstra, Maas, Verhoeven, Koster, van Dam, van der Wal, Prins, Blom, Huisman,
Peeters, de Clercq, Claes, Maes, Wouters, Goossens, Mertens, Dubois, Lambert, Martens
""")

POLISH_LAST = _names("""
Nowak, Kowalski, Wiśniewski, Wójcik, Kowalczyk, Kamiński, Lewandowski, Zieliński,
Szymański, Woźniak, Dąbrowski, Kozłowski, Jankowski, Mazur, Wojciechowski,
Kwiatkowski, Krawczyk, Kaczmarek, Piotrowski, Grabowski, Zając, Pawłowski, Michalski,
Król, Wieczorek, Jabłoński, Wróbel, Nowakowski, Majewski, Olszewski, Stępień,
Malinowski, Jaworski, Adamczyk, Dudek, Nowicki, Pawlak, Górski, Witkowski, Walczak,
Sikora, Baran, Rutkowski, Michalak, Szewczyk, Ostrowski, Tomaszewski, Pietrzak,
Zalewski, Wróblewski, Marciniak, Jasiński, Zawadzki, Bąk, Jakubowski, Sadowski,
Duda, Włodarczyk, Wilk, Chmielewski
""")

SOUTHERN_LAST = _names("""
Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino, Greco,
Bruno, Gallo, Conti, De Luca, Costa, Giordano, Mancini, Rizzo, Lombardi, Moretti,
Martin, Bernard, Thomas, Petit, Robert, Richard, Durand, Dubois, Moreau, Laurent,
Simon, Michel, Lefebvre, Leroy, Roux, David, Bertrand, Morel, Fournier, Girard,
García, Fernández, González, Rodríguez, López, Martínez, Sánchez, Pérez, Gómez,
Martín, Jiménez, Ruiz, Hernández, Díaz, Moreno, Silva, Santos, Ferreira, Pereira,
Oliveira, Yılmaz, Kaya, Demir, Şahin, Çelik, Yıldız, Öztürk, Aydın, Hussain, Khan,
Ahmadi, Hosseini, Karimi, Haddad, Nasser, Khalil
""")


# (flavour, share of customers, language of its employees, first names, last names)
FLAVOURS = (
    ("DK", 0.62, "da", DANISH_FIRST, DANISH_LAST),
    ("SE", 0.09, "en", SWEDISH_FIRST, SWEDISH_LAST),
    ("NO", 0.07, "en", NORWEGIAN_FIRST, NORWEGIAN_LAST),
    ("DE", 0.08, "en", GERMAN_FIRST, GERMAN_LAST),
    ("EN", 0.08, "en", ENGLISH_FIRST, ENGLISH_LAST),
    ("FI", 0.02, "en", FINNISH_FIRST, FINNISH_LAST),
    ("NL", 0.02, "en", DUTCH_FIRST, DUTCH_LAST),
    ("PL", 0.01, "en", POLISH_FIRST, POLISH_LAST),
    ("SOUTH", 0.01, "en", SOUTHERN_FIRST, SOUTHERN_LAST),
)

ALL_FIRST = tuple(dict.fromkeys(name for flavour in FLAVOURS for name in flavour[3]))
ALL_LAST = tuple(dict.fromkeys(name for flavour in FLAVOURS for name in flavour[4]))

# Company name endings by flavour, for customer names
COMPANY_SUFFIXES = {
    "DK": ("ApS", "A/S", "I/S", "& Co ApS", "& Søn A/S", "Holding ApS"),
    "SE": ("AB", "& Co AB", "Handelsbolag"),
    "NO": ("AS", "ASA", "& Sønn AS"),
    "DE": ("GmbH", "GmbH & Co. KG", "AG", "KG"),
    "EN": ("Ltd", "Limited", "LLP", "& Sons Ltd", "Group Ltd"),
    "FI": ("Oy", "Oyj", "Ky"),
    "NL": ("B.V.", "N.V.", "& Zn B.V."),
    "PL": ("Sp. z o.o.", "S.A."),
    "SOUTH": ("S.r.l.", "S.A.", "SARL", "S.L.", "Lda"),
}

# Trades, for customer names ("Jensen Tømrer ApS", "Müller Logistik GmbH")
TRADES = {
    "DK": ("Tømrer", "VVS", "El-service", "Revision", "Advokater", "Tandlæger", "Bageri",
           "Transport", "Ejendomme", "Maskinfabrik", "Rådgivning", "Auto", "Byg", "Consult",
           "Murer", "Malerfirma", "Trading", "Logistik", "Data", "Kontorservice"),
    "SE": ("Bygg", "Redovisning", "Transport", "Fastigheter", "Konsult", "Data", "El"),
    "NO": ("Bygg", "Regnskap", "Transport", "Eiendom", "Rådgivning", "Elektro"),
    "DE": ("Logistik", "Bau", "Steuerberatung", "Elektrotechnik", "Immobilien", "Software",
           "Maschinenbau", "Rechtsanwälte"),
    "EN": ("Logistics", "Consulting", "Property", "Accountants", "Solicitors", "Engineering",
           "Software", "Builders"),
    "FI": ("Rakennus", "Kuljetus", "Tilitoimisto", "Konsultointi"),
    "NL": ("Bouw", "Transport", "Advies", "Vastgoed"),
    "PL": ("Budownictwo", "Transport", "Doradztwo"),
    "SOUTH": ("Costruzioni", "Transportes", "Conseil", "Logística", "Ingegneria"),
}  # fmt: skip

# Notes people write on a phone: where it stands, who uses it. {n} takes a small number.
PHONE_NOTES = (
    "Reception", "Reception desk", "Front desk", "Meeting room {n}", "Meeting room {n}",
    "Conference room {n}", "Boardroom", "Warehouse, gate {n}", "Warehouse office",
    "Loading dock {n}", "Canteen", "Kitchen", "Staff room", "Break room", "Lobby",
    "Entrance", "Main entrance", "Security desk", "Porter's lodge", "IT support",
    "Helpdesk {n}", "Server room", "Workshop", "Workshop {n}", "Lab {n}", "Storage room",
    "Mail room", "Print room", "Accounting", "Sales floor", "Sales desk {n}", "Showroom",
    "CEO office", "Director's office", "HR", "Floor {n}, desk {m}", "Floor {n}, east wing",
    "Floor {n}, west wing", "Building {n}, ground floor", "Home office", "Spare phone",
    "Spare, in the cupboard", "Loaner", "Temp staff", "Intern desk", "Hot desk {n}",
    "Quiet room", "Phone booth {n}", "Training room", "Clinic room {n}", "Treatment room {n}",
    "Pharmacy counter", "Checkout {n}", "Shop floor", "Back office", "Night shift",
    "Driver's room", "Dispatch", "Gatehouse", "Parking, barrier", "Elevator lobby",
    "Emergency phone", "Nurse station {n}", "Classroom {n}", "Library", "Teachers' lounge",
    "Mødelokale {n}", "Reception, stuen", "Lager, port {n}", "Kantine", "Værksted",
    "Kontor {n}", "Besprechungsraum {n}", "Empfang", "Lager", "Mötesrum {n}", "Møterom {n}",
)  # fmt: skip
